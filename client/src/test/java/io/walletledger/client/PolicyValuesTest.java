package io.walletledger.client;

import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.FreezeScope;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.walletledger.client.LoopbackLedger.USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy values a caller builds: what they refuse before anything is sent, and what their factories build.
 */
class PolicyValuesTest
{
    @Test
    void valuesThatCannotTravelAreRefusedAtOnce()
    {
        assertThrows(IllegalArgumentException.class, () -> new CodeLimits(65_536, Limits.NONE));
        assertThrows(IllegalArgumentException.class, () -> FeeSchedule.builder(70_000, USD, 9).build());
        assertThrows(IllegalArgumentException.class, () -> FeeSchedule.removal(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new ReviewThreshold(65_536, 5));
        assertThrows(IllegalArgumentException.class, () -> AccountCommand.freeze(1, FreezeScope.NULL_VAL));
        assertThrows(IllegalArgumentException.class,
            () -> new AccountCommand(1, AccountAction.NULL_VAL, FreezeScope.NONE));
        assertThrows(NullPointerException.class, () -> new AccountLimits(1, null));
        assertThrows(NullPointerException.class, () -> new CodeLimits(1, null));
        assertThrows(NullPointerException.class, () -> ReviewDecision.approve(null, TransferId.of(1)));
        assertThrows(NullPointerException.class, () -> ReviewDecision.reject(TransferId.of(1), null));
        assertThrows(NullPointerException.class, () -> AccountCommand.freeze(1, null));
    }

    @Test
    void factoriesBuildWhatTheySay()
    {
        assertEquals(new AccountCommand(7, AccountAction.FREEZE, FreezeScope.ALL),
            AccountCommand.freeze(7, FreezeScope.ALL));
        assertEquals(new AccountCommand(7, AccountAction.UNFREEZE, FreezeScope.NONE), AccountCommand.unfreeze(7));
        assertEquals(new AccountCommand(7, AccountAction.CLOSE, FreezeScope.NONE), AccountCommand.close(7));
        assertEquals(new Limits(1, 2, 3, 4),
            Limits.NONE.withTransferAmountLimit(1).withDailyDebitLimit(2).withVelocity(3, 4));
        assertTrue(Limits.NONE.isNone());
        assertFalse(Limits.NONE.withVelocity(1, 60).isNone());
        assertEquals(new FeeSchedule(20, USD, 5, 150, 10, 40, 9),
            FeeSchedule.builder(20, USD, 9).fixedAmount(5).basisPoints(150).minimum(10).maximum(40).build());
        assertEquals(new FeeSchedule(20, USD, 0, 0, 0, 0, 0), FeeSchedule.removal(20, USD));
        assertTrue(ReviewDecision.approve(TransferId.of(2), TransferId.of(1)).approve());
        assertFalse(ReviewDecision.reject(TransferId.of(2), TransferId.of(1)).approve());
    }

    @Test
    void policiesAnswerByKeyAndCannotBeChanged()
    {
        final FeeSchedule fee = FeeSchedule.builder(20, USD, 9).fixedAmount(5).build();
        final Policies policies = new Policies(3600, 7, 0, 0, List.of(fee), List.of(new ReviewThreshold(USD, 500)),
            List.of(new CodeLimits(5, Limits.NONE.withTransferAmountLimit(100))));
        assertEquals(fee, policies.fee(20, USD).orElseThrow());
        assertTrue(policies.fee(20, 978).isEmpty());
        assertEquals(500, policies.reviewThreshold(USD));
        assertEquals(0, policies.reviewThreshold(978));
        assertEquals(100, policies.limitsOfCode(5).orElseThrow().transferAmountLimit());
        assertThrows(UnsupportedOperationException.class, () -> policies.fees().add(fee));
    }
}
