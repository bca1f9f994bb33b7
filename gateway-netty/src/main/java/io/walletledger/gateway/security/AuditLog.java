package io.walletledger.gateway.security;

import org.agrona.DirectBuffer;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.ScramSha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The audit log: security-relevant events on the SLF4J logger {@code wallet.audit}, one line each, never a secret.
 * Authentication failures and refused requests ({@code FORBIDDEN}, {@code RATE_LIMITED}) are logged one by one only
 * for the first {@link #FAILURES_LOGGED_PER_MINUTE} per kind, key id and address each minute; the rest are counted
 * and reported once per minute, with at most {@link #FAILURE_SOURCES_MAX} sources tracked at once, so a flood costs
 * bounded memory and log space.
 */
public final class AuditLog
{
    /** Failures logged one by one per key id and address per minute. */
    public static final int FAILURES_LOGGED_PER_MINUTE = 3;
    /** Key id and address pairs counted at once; beyond it they are counted together. */
    public static final int FAILURE_SOURCES_MAX = 1024;

    private static final Logger AUDIT = LoggerFactory.getLogger("wallet.audit");
    private static final String OTHER_SOURCES = "(other keys and addresses)";
    private static final String AUTHENTICATION_FAILED = "authentication failed";
    private static final char SEPARATOR = '\u0000';
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LongSupplier nanoClock;
    /** Sees each admin request's line too: for tests; null otherwise. */
    private final java.util.function.Consumer<String> observer;
    private final Map<String, int[]> failures = new HashMap<>();
    private long windowStart;

    public AuditLog()
    {
        this(System::nanoTime);
    }

    AuditLog(final LongSupplier nanoClock)
    {
        this(nanoClock, null);
    }

    AuditLog(final LongSupplier nanoClock, final java.util.function.Consumer<String> observer)
    {
        this.observer = observer;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    public static void keyCreated(final ApiKey key, final String file)
    {
        AUDIT.info("key created: id={} roles={} accounts={} transfersPerSecond={} burst={} file={}", key.id(),
            labels(key.roles()), key.restricted() ? java.util.Arrays.toString(key.accounts()) : "all",
            key.transfersPerSecond(), key.burst(), file);
    }

    public static void keyRevoked(final String keyId, final String file)
    {
        AUDIT.info("key revoked: id={} file={}", keyId, file);
    }

    public void authenticated(final String keyId, final Object remote, final String protocol)
    {
        AUDIT.info("authenticated: key={} remote={} protocol={}", keyId, remote, protocol);
    }

    /**
     * @param keyId as the client gave it, which may name no key.
     */
    public void authenticationFailed(final String keyId, final String remoteHost, final String protocol)
    {
        final String shown = ScramSha256.isValidKeyId(keyId) ? keyId : "(not a key id)";
        final int count = count(AUTHENTICATION_FAILED, shown + " from " + remoteHost);
        if (count <= FAILURES_LOGGED_PER_MINUTE)
        {
            AUDIT.warn("authentication failed: key={} remote={} protocol={}", shown, remoteHost, protocol);
        }
        else if (count == FAILURES_LOGGED_PER_MINUTE + 1)
        {
            AUDIT.warn("authentication failed: key={} remote={}: more failures this minute are counted, not logged",
                shown, remoteHost);
        }
    }

    /**
     * A request the gateway refused before the ledger: a role or account the key lacks, or its rate used up.
     *
     * @param request the message's name.
     * @param code    {@code FORBIDDEN} or {@code RATE_LIMITED}.
     * @param why     what the client was told.
     */
    public void refused(
        final String keyId, final String request, final String code, final String why, final String remoteHost,
        final String protocol)
    {
        final String kind = "refused " + code;
        final int count = count(kind, keyId + " from " + remoteHost);
        if (count <= FAILURES_LOGGED_PER_MINUTE)
        {
            AUDIT.warn("refused: key={} request={} code={} remote={} protocol={} why={}", keyId, request, code,
                remoteHost, protocol, why);
        }
        else if (count == FAILURES_LOGGED_PER_MINUTE + 1)
        {
            AUDIT.warn("refused: key={} remote={} code={}: more refusals this minute are counted, not logged", keyId,
                remoteHost, code);
        }
    }

    /**
     * @return how many times this kind of event came from this source in the current minute.
     */
    private int count(final String kind, final String source)
    {
        synchronized (this)
        {
            rollWindow();
            String tracked = kind + SEPARATOR + source;
            int[] counter = failures.get(tracked);
            if (counter == null)
            {
                if (failures.size() >= FAILURE_SOURCES_MAX)
                {
                    tracked = kind + SEPARATOR + OTHER_SOURCES;
                    counter = failures.computeIfAbsent(tracked, ignored -> new int[1]);
                }
                else
                {
                    counter = new int[1];
                    failures.put(tracked, counter);
                }
            }
            return ++counter[0];
        }
    }

    /**
     * An admin request the ledger answered: who sent it, every parameter, and what the ledger answered.
     *
     * @param request holding the request message (header and body) at {@code requestOffset}.
     * @param reply   holding the answer at {@code replyOffset}.
     */
    public void adminRequest(
        final String keyId, final String template, final long correlationId, final Object remote,
        final DirectBuffer request, final int requestOffset, final int requestLength,
        final DirectBuffer reply, final int replyOffset, final int replyLength)
    {
        final String line = "admin request: key=" + keyId + " request=" + template + " correlationId=" +
            Long.toUnsignedString(correlationId) + " remote=" + remote + " parameters=" +
            AuditText.of(request, requestOffset, requestLength) + " outcome=" +
            AuditText.of(reply, replyOffset, replyLength);
        AUDIT.info(line);
        if (observer != null)
        {
            observer.accept(line);
        }
    }

    /**
     * Reports the failures counted but not logged in a minute that has ended; called on every failure, and
     * may be called from a timer so that the count of a flood that stopped is reported too.
     */
    public synchronized void rollWindow()
    {
        final long now = nanoClock.getAsLong();
        if (now - windowStart < MINUTE_NANOS)
        {
            return;
        }
        for (final Map.Entry<String, int[]> entry : failures.entrySet())
        {
            if (entry.getValue()[0] > FAILURES_LOGGED_PER_MINUTE)
            {
                final int separator = entry.getKey().indexOf(SEPARATOR);
                AUDIT.warn("{} {} times in the last minute: {}", entry.getKey().substring(0, separator),
                    entry.getValue()[0], entry.getKey().substring(separator + 1));
            }
        }
        failures.clear();
        windowStart = now;
    }

    synchronized int sourcesTracked()
    {
        return failures.size();
    }

    private static String labels(final Collection<Role> roles)
    {
        final StringBuilder out = new StringBuilder();
        for (final Role role : Role.values())
        {
            if (roles.contains(role))
            {
                out.append(out.length() == 0 ? "" : ",").append(role.label());
            }
        }
        return out.toString();
    }
}
