package io.walletledger.config;

/**
 * {@code wallet.security.mode}: whether clients must authenticate with an API key.
 */
public enum SecurityModeSetting
{
    /**
     * {@code required}: every client authenticates with an API key from the keys file. The default.
     */
    REQUIRED,

    /**
     * {@code development}: nobody authenticates and every client may do everything; for a developer's own machine.
     */
    DEVELOPMENT
}
