package io.walletledger.client;

/**
 * No answer came within the request timeout. <b>The outcome is unknown</b>: the request may never have been sent,
 * or it may have been applied and only the answer was lost. Resending the same transfers (same ids) is safe: each
 * transfer already applied answers {@code EXISTS} (or its original failure) and moves no money again. Account
 * creation is safe to resend too ({@code EXISTS}).
 */
public class WalletTimeoutException extends WalletClientException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what timed out.
     */
    public WalletTimeoutException(final String message)
    {
        super(message, null);
    }
}
