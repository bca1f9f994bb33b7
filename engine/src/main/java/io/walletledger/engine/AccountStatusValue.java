package io.walletledger.engine;

import io.walletledger.protocol.sbe.AccountStatus;

/**
 * The byte values of {@link AccountStatus} as compile-time constants, for the account record and switches.
 */
final class AccountStatusValue
{
    static final int ACTIVE = 0;
    static final int FROZEN = 1;
    static final int CLOSED = 2;

    static
    {
        if (AccountStatus.ACTIVE.value() != ACTIVE || AccountStatus.FROZEN.value() != FROZEN ||
            AccountStatus.CLOSED.value() != CLOSED)
        {
            throw new IllegalStateException("AccountStatus values changed in the schema");
        }
    }

    private AccountStatusValue()
    {
    }
}
