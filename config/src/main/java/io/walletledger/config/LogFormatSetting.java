package io.walletledger.config;

/**
 * {@code wallet.log.format}: how the server writes its log lines.
 */
public enum LogFormatSetting
{
    /**
     * {@code text}: one line per event, {@code 2026-12-07T23:20:48.315Z [thread] LEVEL logger - message}. The
     * default.
     */
    TEXT,

    /**
     * {@code json}: one JSON object per line (logback's JsonEncoder: timestamp, level, thread, logger, message,
     * the exception with its stack), for a log shipper.
     */
    JSON
}
