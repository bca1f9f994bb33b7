package io.walletledger.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.walletledger.config.LogFormatSetting;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * The command line's logging, through logback: text or JSON lines on standard error, and the audit log
 * ({@code wallet.audit}) in the main log or in a file of its own. The server applies its settings
 * ({@code wallet.log.*}) once it has read them; until then, and for the tools, {@link #defaults} holds. A
 * {@code -Dlogback.configurationFile=...} given to the JVM wins over both: then this changes nothing.
 *
 * <p>An application that embeds the ledger ({@code WalletServer.start}) keeps its own logging: only the command line
 * calls this.
 */
final class LogSetup
{
    /** The audit log's logger (GatewaySecurity's AuditLog writes to it). */
    static final String AUDIT_LOGGER = "wallet.audit";
    private static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} [%thread] %level %logger - %msg%n";

    private LogSetup()
    {
    }

    /**
     * Text on standard error at {@code level}, the audit log at info whatever the level.
     */
    static void defaults(final Level level)
    {
        apply(LogFormatSetting.TEXT, level, null);
    }

    /**
     * @param format    text or JSON lines.
     * @param level     the least level logged (the audit log stays at info).
     * @param auditFile where the audit log goes instead of the main log, or null to keep it there.
     */
    static void apply(final LogFormatSetting format, final Level level, final Path auditFile)
    {
        if (System.getProperty("logback.configurationFile") != null ||
            !(LoggerFactory.getILoggerFactory() instanceof LoggerContext))
        {
            return; // the operator's own logback configuration, or another SLF4J provider
        }
        final LoggerContext context = (LoggerContext)LoggerFactory.getILoggerFactory();
        context.reset();

        final ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, format));
        console.start();
        final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(console);
        // The Kafka client logs its whole configuration and every reconnection at info: warnings and errors only,
        // unless the operator asked for debug or trace.
        context.getLogger("org.apache.kafka").setLevel(level == Level.INFO ? Level.WARN : level);

        final Logger audit = context.getLogger(AUDIT_LOGGER);
        audit.setLevel(Level.INFO);
        if (auditFile != null)
        {
            final FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(context);
            file.setName("audit");
            file.setFile(auditFile.toAbsolutePath().toString());
            file.setAppend(true);
            file.setPrudent(false);
            file.setImmediateFlush(true);
            file.setEncoder(encoder(context, format));
            file.start();
            if (!file.isStarted())
            {
                throw new IllegalStateException("cannot open the audit log " + auditFile + " (wallet.log.audit-file)");
            }
            audit.addAppender(file);
            audit.setAdditive(false);
        }
    }

    /**
     * @return the level named by {@code wallet.log.level}.
     */
    static Level level(final String name)
    {
        return Level.toLevel(name, Level.INFO);
    }

    private static Encoder<ILoggingEvent> encoder(final LoggerContext context, final LogFormatSetting format)
    {
        if (format == LogFormatSetting.JSON)
        {
            final JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // The message as written (not its pattern and arguments apart); no logger context (name, birth time,
            // properties) and no empty MDC on every line.
            json.setWithFormattedMessage(true);
            json.setWithSequenceNumber(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithContext(false);
            json.setWithMDC(false);
            json.start();
            return json;
        }
        final PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }
}
