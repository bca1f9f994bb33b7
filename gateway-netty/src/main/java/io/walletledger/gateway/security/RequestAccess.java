package io.walletledger.gateway.security;

import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.LookupAccountHistoryDecoder;
import org.agrona.DirectBuffer;

/**
 * Whether a key may send one request, checked in the gateway before the request reaches the ledger, for the binary
 * protocol and the HTTP API alike (an HTTP request becomes the same SBE request first). What each request type needs
 * is its entry in {@link RequestType}; in order:
 * <ol>
 *   <li>role ({@link RequestType#role()}): a higher role includes the lower ones;</li>
 *   <li>account restriction ({@link RequestType#accountScope()}): a restricted key may name only its accounts: the
 *       debit account of every transfer (so a post or void must name its debit account), every account looked up,
 *       created, or changed, and it may add controls to its accounts but never lift them (no unfreeze, no limits);
 *       ledger-wide changes are refused, and a lookup of transfers by id goes through but its
 *       answer shows only the key's transfers ({@link TransferLookupFilter});</li>
 *   <li>rate: a transfer request's events ({@link RequestType#rateLimited()}) must fit in the key's transfer
 *       bucket; a read's tokens (every request that is not journaled: one per id looked up, per entry a history page
 *       may hold, one for the policies) in its read bucket.</li>
 * </ol>
 * One instance per connection (it keeps the reason of its last refusal); the request must have passed the
 * {@code RequestValidator}. Allocates nothing when the request may go.
 */
public final class RequestAccess
{
    private static final int ACTION_OFFSET = AccountCommandsDecoder.CommandsDecoder.actionEncodingOffset();

    private static final int HISTORY_LIMIT_OFFSET = LookupAccountHistoryDecoder.QueriesDecoder.limitEncodingOffset();

    private final KeyRateLimits rateLimits;
    private final KeyRateLimits readLimits;
    private String message;
    private long retryAfterNanos;

    /**
     * @param rateLimits transfers per second per key.
     * @param readLimits reads per second per key.
     */
    public RequestAccess(final KeyRateLimits rateLimits, final KeyRateLimits readLimits)
    {
        this.rateLimits = rateLimits;
        this.readLimits = readLimits;
    }

    /**
     * @return null if {@code key} may send the request; otherwise {@code FORBIDDEN} or {@code RATE_LIMITED}, with
     * {@link #message()} saying why (and {@link #retryAfterNanos()} for a rate limit).
     */
    public ErrorCode check(final ApiKey key, final DirectBuffer request, final int offset, final int length)
    {
        final RequestType type = RequestType.of(FrameDescriptor.templateId(request, offset));
        final Role required = type.role();
        if (!key.has(required))
        {
            return forbidden("key " + key.id() + " lacks the " + required.label() + " role");
        }
        if (key.restricted())
        {
            final ErrorCode denied = checkAccounts(key, type, request, offset);
            if (denied != null)
            {
                return denied;
            }
        }
        final int groupHeader = FrameDescriptor.groupHeaderOffset(request, offset);
        final int events = FrameDescriptor.groupCount(request, groupHeader);
        if (type.rateLimited())
        {
            return take(rateLimits, key, events, "transfers");
        }
        if (!type.journaled())
        {
            // A history query may read as many entries as its limit (the validator saw its element whole); a
            // request of many queries, which the record refuses anyway, never overflows into a cheap one.
            final long tokens = type.fromRecord() && events > 0 ? (long)events * (request.getShort(
                groupHeader + FrameDescriptor.GROUP_HEADER_LENGTH + HISTORY_LIMIT_OFFSET, FrameDescriptor.BYTE_ORDER) &
                0xFFFF) : events;
            return take(readLimits, key, (int)Math.min(Integer.MAX_VALUE, Math.max(1, tokens)), "reads");
        }
        return null;
    }

    /**
     * A read that does not go through {@link #check}: an HTTP history page of up to {@code entries} entries.
     *
     * @return null if the key may read now; otherwise {@code RATE_LIMITED}, with {@link #message()} and
     * {@link #retryAfterNanos()}.
     */
    public ErrorCode checkRead(final ApiKey key, final int entries)
    {
        return take(readLimits, key, Math.max(1, entries), "reads");
    }

    private ErrorCode take(final KeyRateLimits limits, final ApiKey key, final int tokens, final String what)
    {
        final long wait = limits.tryTake(key, tokens);
        if (wait == KeyRateLimits.ALLOWED)
        {
            return null;
        }
        retryAfterNanos = wait;
        message = wait == KeyRateLimits.NEVER ?
            "key " + key.id() + " may make at most " + limits.burstOf(key) + " " + what + " at once, not " + tokens :
            "key " + key.id() + " is limited to " + limits.rateOf(key) + " " + what + " per second";
        return ErrorCode.RATE_LIMITED;
    }

    /**
     * @return why the last {@link #check} refused.
     */
    public String message()
    {
        return message;
    }

    /**
     * @return after a {@code RATE_LIMITED}: nanoseconds until the same request could pass, or
     * {@link KeyRateLimits#NEVER}.
     */
    public long retryAfterNanos()
    {
        return retryAfterNanos;
    }

    private ErrorCode checkAccounts(
        final ApiKey key, final RequestType type, final DirectBuffer request, final int offset)
    {
        switch (type.accountScope())
        {
            case ACCOUNT:
            case DEBIT_ACCOUNT:
                return checkNamedAccounts(key, type, request, offset);
            case ACCOUNT_CONTROL:
                final ErrorCode denied = checkNamedAccounts(key, type, request, offset);
                return denied != null ? denied : checkAddsControlsOnly(key, type, request, offset);
            case LEDGER_WIDE:
                return forbidden("key " + key.id() + " is restricted to some accounts and so cannot change " +
                    "ledger-wide settings");
            case ANSWER_FILTERED:
            case NONE:
            default:
                return null;
        }
    }

    /**
     * Every event of the request names an account at the same place in its element: each must be the key's.
     */
    private ErrorCode checkNamedAccounts(
        final ApiKey key, final RequestType type, final DirectBuffer request, final int offset)
    {
        final int groupHeader = FrameDescriptor.groupHeaderOffset(request, offset);
        final int elementLength = FrameDescriptor.groupElementLength(request, groupHeader);
        final int count = FrameDescriptor.groupCount(request, groupHeader);
        int at = groupHeader + FrameDescriptor.GROUP_HEADER_LENGTH + type.accountFieldOffset();
        for (int i = 0; i < count; i++, at += elementLength)
        {
            final long accountId = request.getLong(at, FrameDescriptor.BYTE_ORDER);
            if (!key.mayUse(accountId))
            {
                if (type.accountScope() != RequestType.AccountScope.DEBIT_ACCOUNT)
                {
                    return notItsAccount(key, accountId);
                }
                return forbidden(accountId == 0 ?
                    "key " + key.id() + " is restricted to some accounts: a post or void must name its debit account" :
                    "key " + key.id() + " may not debit account " + Long.toUnsignedString(accountId));
            }
        }
        return null;
    }

    /**
     * A restricted key may freeze and close its accounts, never unfreeze them nor set their limits.
     */
    private ErrorCode checkAddsControlsOnly(
        final ApiKey key, final RequestType type, final DirectBuffer request, final int offset)
    {
        if (type == RequestType.SET_ACCOUNT_LIMITS)
        {
            return forbidden("key " + key.id() + " is restricted to some accounts and so cannot set their limits " +
                "(which could lift them): that takes a key that is not restricted");
        }
        final int groupHeader = FrameDescriptor.groupHeaderOffset(request, offset);
        final int elementLength = FrameDescriptor.groupElementLength(request, groupHeader);
        final int count = FrameDescriptor.groupCount(request, groupHeader);
        int at = groupHeader + FrameDescriptor.GROUP_HEADER_LENGTH + ACTION_OFFSET;
        for (int i = 0; i < count; i++, at += elementLength)
        {
            if ((request.getByte(at) & 0xFF) == AccountAction.UNFREEZE.value())
            {
                return forbidden("key " + key.id() + " is restricted to some accounts and so cannot unfreeze them: " +
                    "that takes a key that is not restricted");
            }
        }
        return null;
    }

    private ErrorCode notItsAccount(final ApiKey key, final long accountId)
    {
        return forbidden("key " + key.id() + " may not use account " + Long.toUnsignedString(accountId));
    }

    private ErrorCode forbidden(final String why)
    {
        message = why;
        return ErrorCode.FORBIDDEN;
    }
}
