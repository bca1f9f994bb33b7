package io.walletledger.bench;

import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.SetAccountLimitsEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.ObjIntConsumer;
import java.util.stream.Stream;

/**
 * Builds the SBE requests the benchmarks feed to the engine and the journal, and cleans up their files.
 */
final class BenchRequests
{
    static final int USD = 840;
    /** The code of every transfer the benchmarks create. */
    static final int TRANSFER_CODE = 1;

    private BenchRequests()
    {
    }

    /**
     * Encodes a request creating accounts {@code first .. first + count - 1}: no-overdraft wallets, or one
     * settlement account (no flags) when {@code settlement} is true.
     *
     * @return the length of the message.
     */
    static int createAccounts(
        final MutableDirectBuffer buffer, final long first, final int count, final boolean settlement)
    {
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(first);
        final CreateAccountsEncoder.AccountsEncoder group = encoder.accountsCount(count);
        for (int i = 0; i < count; i++)
        {
            group.next().id(first + i).userData(0).currency(USD).code(settlement ? 2 : 1).flags().clear()
                .debitsMustNotExceedCredits(!settlement);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Encodes a request of {@code count} transfers with ids {@code firstId ..}: from the settlement account to
     * each wallet in turn when {@code debit} is non-zero, else between uniformly random wallets in
     * {@code 1..accounts}.
     *
     * @return the length of the message.
     */
    static int createTransfers(
        final MutableDirectBuffer buffer,
        final long firstId,
        final int count,
        final long debit,
        final long amount,
        final int accounts,
        final SplittableRandom random)
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(firstId);
        final CreateTransfersEncoder.TransfersEncoder group = encoder.transfersCount(count);
        for (int i = 0; i < count; i++)
        {
            final long from;
            long to;
            if (debit != 0)
            {
                from = debit;
                to = 1 + (firstId + i - 1) % accounts;
            }
            else
            {
                from = 1 + random.nextInt(accounts);
                to = 1 + random.nextInt(accounts);
                while (to == from)
                {
                    to = 1 + random.nextInt(accounts);
                }
            }
            group.next();
            group.id().lo(firstId + i).hi(0);
            group.debitAccountId(from).creditAccountId(to).amount(amount);
            group.pendingId().lo(0).hi(0);
            group.userData128().lo(0).hi(0);
            group.userData64(0).userData32(0).timeout(0).currency(USD).code(TRANSFER_CODE);
            group.flags().clear();
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Encodes a request giving accounts {@code first .. first + count - 1} the same limits.
     *
     * @return the length of the message.
     */
    static int setAccountLimits(
        final MutableDirectBuffer buffer,
        final long first,
        final int count,
        final long transferAmountLimit,
        final long dailyDebitLimit,
        final long velocityDebitLimit,
        final long velocityWindowSeconds)
    {
        final SetAccountLimitsEncoder encoder = new SetAccountLimitsEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(first);
        final SetAccountLimitsEncoder.LimitsEncoder group = encoder.limitsCount(count);
        for (int i = 0; i < count; i++)
        {
            group.next()
                .accountId(first + i)
                .transferAmountLimit(transferAmountLimit)
                .dailyDebitLimit(dailyDebitLimit)
                .velocityDebitLimit(velocityDebitLimit)
                .velocityWindowSeconds(velocityWindowSeconds);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Encodes a request setting the fee of USD transfers with {@link #TRANSFER_CODE}.
     *
     * @return the length of the message.
     */
    static int setFee(
        final MutableDirectBuffer buffer,
        final long fixedAmount,
        final long basisPoints,
        final long minimum,
        final long maximum,
        final long feeAccountId)
    {
        final SetFeesEncoder encoder = new SetFeesEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(feeAccountId);
        encoder.feesCount(1).next()
            .transferCode(TRANSFER_CODE)
            .currency(USD)
            .fixedAmount(fixedAmount)
            .basisPoints(basisPoints)
            .minimum(minimum)
            .maximum(maximum)
            .feeAccountId(feeAccountId);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * @return the length of a request looking up the accounts {@code ids}.
     */
    static int lookupAccounts(final MutableDirectBuffer buffer, final long... ids)
    {
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(ids[0]);
        final LookupAccountsEncoder.IdsEncoder group = encoder.idsCount(ids.length);
        for (final long id : ids)
        {
            group.next().id(id);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * @return the length of a request looking up the transfer with id {@code idLo} (high half 0).
     */
    static int lookupTransfer(final MutableDirectBuffer buffer, final long idLo)
    {
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(idLo);
        encoder.idsCount(1).next().id().lo(idLo).hi(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Creates the settlement account {@code settlement} and wallets {@code 1..accounts} in {@code engine}, and
     * funds every wallet with {@code funding} from the settlement account, in requests of up to {@code batch}.
     *
     * @param execute runs one request of the given length from the buffer, and checks that all of it succeeded.
     */
    static void createAndFundAccounts(
        final MutableDirectBuffer request, final int accounts, final int batch, final long settlement,
        final long funding, final ObjIntConsumer<String> execute)
    {
        execute.accept("create settlement", createAccounts(request, settlement, 1, true));
        for (int first = 1; first <= accounts; first += batch)
        {
            execute.accept("create accounts",
                createAccounts(request, first, Math.min(batch, accounts - first + 1), false));
        }
        for (int first = 1; first <= accounts; first += batch)
        {
            final int count = Math.min(batch, accounts - first + 1);
            execute.accept("fund accounts",
                createTransfers(request, (1L << 40) + first, count, settlement, funding, accounts, null));
        }
    }

    static void deleteRecursively(final Path directory)
    {
        if (directory == null || !Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
