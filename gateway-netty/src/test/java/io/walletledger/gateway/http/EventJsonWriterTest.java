package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walletledger.gateway.ArchivedTransfer;
import io.walletledger.gateway.EventPage;
import io.walletledger.gateway.LedgerEvent;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;

import static io.walletledger.gateway.http.JsonBodies.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stream's fast JSON writer against the definition of an event's JSON ({@link EventEndpoints#event}, built from
 * the API's other renderings): byte for byte equal, over random events of every kind, amounts of every sign and
 * size in currencies of 0 to 18 decimals and unknown ones, times from 1970 to 2262, ids of 64 and 128 bits, every
 * flag, status and result; pages and Server-Sent Events too, for a reader that may see every account and for one
 * that may see some.
 */
class EventJsonWriterTest
{
    private static final CurrencyRegistry CURRENCIES = CurrencyRegistry.withIsoDefaults()
        .add("BTC", 1001, 8).add("ETH", 1002, 18).add("PTS", 1003, 0).build();
    private static final int[] CURRENCY_CODES = {840, 392, 978, 1001, 1002, 1003, 4242};
    private static final String[] TRANSFER_TYPES = {"transfer_created", "transfer_failed", "transfer_held_for_review",
        "hold_created", "hold_posted", "hold_voided", "hold_expired", "review_approved", "review_rejected"};
    private static final String[] ACCOUNT_TYPES = {"account_created", "account_frozen", "account_unfrozen",
        "account_closed", "account_limits_set"};
    private static final String[] POLICY_TYPES = {"fee_set", "review_threshold_set", "code_limits_set",
        "policy_setting_set"};

    @Test
    void writesEveryEventByteForByteAsItsDefinition() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(20261208);
        final EventJsonWriter writer = new EventJsonWriter(CURRENCIES);
        for (int round = 0; round < 300; round++)
        {
            final List<LedgerEvent> events = new ArrayList<>();
            for (int i = random.nextInt(1, 40); i > 0; i--)
            {
                events.add(event(random));
            }
            final EventPage page = new EventPage(events, random.nextLong(0, Long.MAX_VALUE));
            final long only = 1 + random.nextInt(8);
            for (final LongPredicate mayUse : List.<LongPredicate>of(account -> true, account -> account == only))
            {
                final ObjectNode expected = MAPPER.createObjectNode();
                final ArrayNode array = expected.putArray("events");
                final StringBuilder stream = new StringBuilder();
                for (final LedgerEvent event : events)
                {
                    final ObjectNode json = EventEndpoints.event(CURRENCIES, event, mayUse);
                    array.add(json);
                    stream.append("id: ").append(event.position()).append("\ndata: ")
                        .append(MAPPER.writeValueAsString(json)).append("\n\n");
                }
                expected.put("next_after", page.next());
                assertEquals(MAPPER.writeValueAsString(expected),
                    new String(writer.page(page, mayUse), StandardCharsets.UTF_8), "round " + round);
                assertEquals(stream.toString(),
                    new String(writer.serverSentEvents(page, mayUse), StandardCharsets.UTF_8), "round " + round);
            }
            for (final LedgerEvent event : events)
            {
                assertEquals(MAPPER.writeValueAsString(EventEndpoints.event(CURRENCIES, event, account -> true)),
                    new String(writer.event(event), StandardCharsets.UTF_8));
            }
        }
        assertEquals(": no events yet\n\n", new String(writer.serverSentEvents(new EventPage(List.of(), 7),
            account -> true), StandardCharsets.UTF_8));
    }

    private static LedgerEvent event(final SplittableRandom random)
    {
        final long position = random.nextLong(1, Long.MAX_VALUE);
        return switch (random.nextInt(3))
        {
            case 0 ->
            {
                final List<LedgerEvent.Balances> balances = new ArrayList<>();
                for (final String role : List.of("debit_account", "credit_account", "fee_account"))
                {
                    if (random.nextInt(4) > 0)
                    {
                        balances.add(new LedgerEvent.Balances(role, 1 + random.nextInt(8), amount(random),
                            amount(random), amount(random), amount(random)));
                    }
                }
                yield new LedgerEvent.Transfer(position, pick(random, TRANSFER_TYPES), transfer(random), balances);
            }
            case 1 -> new LedgerEvent.Account(position, pick(random, ACCOUNT_TYPES), timestamp(random),
                new LedgerEvent.AccountState(random.nextLong(), random.nextLong(), timestamp(random), currency(random),
                    random.nextInt(65536), random.nextInt(4), random.nextInt(3), random.nextInt(3), amount(random),
                    amount(random), amount(random), amount(random), amount(random), amount(random), amount(random),
                    random.nextLong(0, 1L << 32), random.nextLong(0, 1L << 32)));
            default ->
            {
                final String type = pick(random, POLICY_TYPES);
                final long[] values = switch (type)
                {
                    case "fee_set" -> new long[] {currency(random), amount(random), random.nextInt(10_001),
                        amount(random), amount(random), random.nextLong()};
                    case "code_limits_set" -> new long[] {amount(random), amount(random),
                        random.nextLong(0, 1L << 32), random.nextLong(0, 1L << 32)};
                    default -> new long[] {amount(random)};
                };
                final long subject = switch (type)
                {
                    case "fee_set", "code_limits_set" -> random.nextInt(65536);
                    case "review_threshold_set" -> currency(random);
                    default -> 1 + random.nextInt(4);
                };
                yield new LedgerEvent.Policy(position, type, timestamp(random), subject, values);
            }
        };
    }

    private static ArchivedTransfer transfer(final SplittableRandom random)
    {
        final boolean uuid = random.nextBoolean();
        return new ArchivedTransfer(uuid ? random.nextLong() : 0, random.nextLong(), 1 + random.nextInt(8),
            1 + random.nextInt(8), amount(random), amount(random), random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(8),
            currency(random), random.nextInt(65536), random.nextInt(64), random.nextBoolean() ? 0 : random.nextLong(),
            random.nextLong(), random.nextLong(0, 1L << 32), random.nextBoolean() ? 0 : random.nextLong(),
            random.nextLong(), random.nextLong(), random.nextLong(0, 1L << 32), timestamp(random),
            pick(random, new PendingStatus[] {PendingStatus.NONE, PendingStatus.PENDING, PendingStatus.POSTED,
                PendingStatus.VOIDED, PendingStatus.EXPIRED}),
            random.nextBoolean() ? ResultCode.OK : pick(random, ResultCode.values()));
    }

    /**
     * @return amounts of every size and sign, the extremes included.
     */
    private static long amount(final SplittableRandom random)
    {
        return switch (random.nextInt(6))
        {
            case 0 -> 0;
            case 1 -> random.nextLong(-1000, 1000);
            case 2 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            case 3 -> random.nextLong(0, 10_000_000_000L);
            default -> random.nextLong();
        };
    }

    private static long timestamp(final SplittableRandom random)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> random.nextLong(0, 1_000_000_000_000L);
            case 1 -> Long.MAX_VALUE - random.nextInt(1000);
            default -> 1_796_000_000_000_000_000L + random.nextLong(0, 100_000_000_000L);
        };
    }

    private static int currency(final SplittableRandom random)
    {
        return CURRENCY_CODES[random.nextInt(CURRENCY_CODES.length)];
    }

    private static <T> T pick(final SplittableRandom random, final T[] values)
    {
        return values[random.nextInt(values.length)];
    }
}
