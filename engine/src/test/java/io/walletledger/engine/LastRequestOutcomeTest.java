package io.walletledger.engine;

import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.Test;

import static io.walletledger.engine.TestLedger.account;
import static io.walletledger.engine.TestLedger.transfer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the engine notes about the request it last executed, which the node counts its metrics from instead of
 * decoding the response: the type, the events, the failures and each event's result, equal to what the response
 * says.
 */
class LastRequestOutcomeTest
{
    private final TestLedger ledger = new TestLedger();

    @Test
    void notesTheTypeAndEveryResultOfABatch()
    {
        ledger.createAccounts(account(1), account(2).noOverdraft(), account(3).noOverdraft());
        assertEquals(RequestType.CREATE_ACCOUNTS, ledger.engine.lastRequestType());
        assertEquals(3, ledger.engine.lastEventCount());
        assertEquals(0, ledger.engine.lastFailureCount());

        final ResultCode[] results = ledger.createTransfers(
            transfer(100, 1, 2, 50),
            transfer(101, 3, 2, 1),
            transfer(100, 1, 2, 50),
            transfer(102, 2, 3, 20));
        assertArrayEquals(new ResultCode[] { ResultCode.OK, ResultCode.EXCEEDS_CREDITS, ResultCode.EXISTS,
            ResultCode.OK }, results);
        assertEquals(RequestType.CREATE_TRANSFERS, ledger.engine.lastRequestType());
        assertEquals(4, ledger.engine.lastEventCount());
        assertEquals(2, ledger.engine.lastFailureCount(), "every result but OK is listed, EXISTS too");
        for (int i = 0; i < results.length; i++)
        {
            assertEquals(results[i], ledger.engine.lastResult(i));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> ledger.engine.lastResult(4));
    }

    @Test
    void aLookupHasNoEventResultsAndARefusedRequestNoType()
    {
        ledger.createAccounts(account(1));
        ledger.lookupAccounts(1);
        assertEquals(RequestType.LOOKUP_ACCOUNTS, ledger.engine.lastRequestType());
        assertEquals(0, ledger.engine.lastEventCount());

        assertEquals(ErrorCode.MALFORMED, ledger.executeRaw(new byte[] { 1, 2, 3 }));
        assertNull(ledger.engine.lastRequestType());
        assertEquals(0, ledger.engine.lastEventCount());
        assertEquals(0, ledger.engine.lastFailureCount());
    }
}
