package io.walletledger.server.node;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.journal.JournalDurability;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.SetAccountLimitsEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import org.agrona.MutableDirectBuffer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The crash test's ledger: two currencies, each with a settlement account (may go negative) and wallets that
 * must not be overdrawn, and transfers whose every field follows from their id, so the parent can rebuild any
 * request the child acknowledged and resend it.
 */
public final class CrashWorkload
{
    public static final int USD = 840;
    public static final int EUR = 978;
    public static final int WALLETS = 40;
    /** USD accounts are 1 (settlement) and 2..41; EUR ones 101 and 102..141. */
    public static final long[] CURRENCY_BASES = { 0, 100 };
    public static final int[] CURRENCIES = { USD, EUR };
    public static final int BATCH_MAX = 20;

    private CrashWorkload()
    {
    }

    /**
     * @return the crash test's node configuration with the default journal durability.
     */
    public static NodeConfig config(final Path data)
    {
        return builder(data).build();
    }

    public static NodeConfig config(final Path data, final JournalDurability durability)
    {
        return builder(data).durability(durability).build();
    }

    private static NodeConfig.Builder builder(final Path data)
    {
        return NodeConfig.builder(data)
            .ledger(LedgerConfig.builder().accountsMax(1024).idempotencyWindow(1 << 18).pendingTransfersMax(1024)
                .batchEventsMax(BATCH_MAX).build())
            .ringSize(64)
            .snapshotEveryCommands(400)
            .snapshotInterval(Duration.ZERO)
            .snapshotRetain(2);
    }

    public static long[] accountIds()
    {
        final long[] ids = new long[CURRENCIES.length * (WALLETS + 1)];
        int i = 0;
        for (final long base : CURRENCY_BASES)
        {
            for (int a = 1; a <= WALLETS + 1; a++)
            {
                ids[i++] = base + a;
            }
        }
        return ids;
    }

    public static boolean isSettlement(final long accountId)
    {
        return accountId % 100 == 1;
    }

    public static int currencyOf(final long accountId)
    {
        return accountId > 100 ? EUR : USD;
    }

    /**
     * @return the length of a CreateAccounts request for {@code accountIds()[from .. from + count - 1]}.
     */
    public static int createAccounts(final MutableDirectBuffer buffer, final int from, final int count)
    {
        final long[] ids = accountIds();
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(from);
        final CreateAccountsEncoder.AccountsEncoder group = encoder.accountsCount(count);
        for (int i = from; i < from + count; i++)
        {
            final long id = ids[i];
            group.next().id(id).userData(0).currency(currencyOf(id)).code(isSettlement(id) ? 1 : 2)
                .flags().clear().debitsMustNotExceedCredits(!isSettlement(id));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * @return the length of a SetFees request: transfers of code 7 pay 1 + 0.1 % to their currency's settlement
     * account (which itself pays none), so recovery must rebuild fees and the fee table.
     */
    public static int setFees(final MutableDirectBuffer buffer)
    {
        final SetFeesEncoder encoder = new SetFeesEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(-1);
        final SetFeesEncoder.FeesEncoder group = encoder.feesCount(CURRENCIES.length);
        for (int c = 0; c < CURRENCIES.length; c++)
        {
            group.next().transferCode(7).currency(CURRENCIES[c]).fixedAmount(1).basisPoints(10).minimum(0).maximum(0)
                .feeAccountId(CURRENCY_BASES[c] + 1);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * @return the length of a SetAccountLimits request giving the first four wallets of each currency a per-transfer,
     * a daily and a velocity limit that the workload does hit, so refusals and limits records are recovered too.
     */
    public static int setLimits(final MutableDirectBuffer buffer)
    {
        final SetAccountLimitsEncoder encoder = new SetAccountLimitsEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(-2);
        final SetAccountLimitsEncoder.LimitsEncoder group = encoder.limitsCount(2 * 4);
        for (final long base : CURRENCY_BASES)
        {
            for (int w = 0; w < 4; w++)
            {
                group.next().accountId(base + 2 + w).transferAmountLimit(4_000).dailyDebitLimit(200_000)
                    .velocityDebitLimit(3).velocityWindowSeconds(1);
            }
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * @return the length of a CreateTransfers request of transfers {@code firstId .. firstId + count - 1}.
     */
    public static int createTransfers(final MutableDirectBuffer buffer, final long firstId, final int count)
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(firstId);
        final CreateTransfersEncoder.TransfersEncoder group = encoder.transfersCount(count);
        for (int i = 0; i < count; i++)
        {
            final long id = firstId + i;
            final SplittableRandom random = new SplittableRandom(id);
            final int c = random.nextInt(CURRENCIES.length);
            final long base = CURRENCY_BASES[c];
            final long from;
            final long to;
            final long amount;
            if (random.nextInt(10) < 3)
            {
                from = base + 1;
                to = base + 2 + random.nextInt(WALLETS);
                amount = 1_000 + random.nextInt(9_000);
            }
            else
            {
                from = base + 2 + random.nextInt(WALLETS);
                to = base + 2 + (from - base - 2 + 1 + random.nextInt(WALLETS - 1)) % WALLETS;
                amount = 1 + random.nextInt(5_000);
            }
            group.next();
            group.id().lo(id).hi(0);
            group.debitAccountId(from).creditAccountId(to).amount(amount);
            group.pendingId().lo(0).hi(0);
            group.userData128().lo(0).hi(0);
            group.userData64(id).userData32(0).timeout(0).currency(CURRENCIES[c]).code(7);
            group.flags().clear().linked(id % 5 == 0 && i < count - 1);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * @return the number of transfers in the request starting at {@code firstId}: 1 to {@link #BATCH_MAX}.
     */
    public static int batchLength(final long firstId)
    {
        return 1 + new SplittableRandom(~firstId).nextInt(BATCH_MAX);
    }
}
