package io.walletledger.client;

import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.ResultCode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * The Java client of the wallet ledger's binary protocol: one TCP connection, thread-safe, asynchronous.
 *
 * <pre>{@code
 * try (WalletClient client = WalletClient.connect("127.0.0.1", 7070))
 * {
 *     client.createAccountsSync(List.of(Account.unrestricted(1, 840), Account.wallet(2, 840)));
 *     final TransferIds ids = new TransferIds();
 *     final ResultCode result = client.createTransferSync(Transfer.of(ids.next(), 1, 2, 10_00, 840));
 *     final AccountRecord wallet = client.lookupAccountsSync(2).get(0);   // wallet.balance() == 1000
 * }
 * }</pre>
 *
 * <h2>Batches and results</h2>
 * {@link #createTransfers(List)} and {@link #createAccounts(List)} answer one {@link ResultCode} per event, in the
 * order given ({@code OK} or why not). A call larger than {@code batchEventsMax} is cut into several requests,
 * sent one after the other, never inside a linked chain; if one of them fails, the events of the requests before
 * it were applied and the later ones were not sent. {@link #createTransfer(Transfer)} batches automatically: single
 * transfers from many threads share requests (see {@link WalletClientOptions#batchLinger()}).
 *
 * <h2>History</h2>
 * {@link #lookupTransfers(TransferId...)} finds a transfer of any age when the server keeps its permanent record.
 * {@link #accountHistory(HistoryQuery)} walks an account's transfers, each with the balances right after it, page by
 * page; {@link #lookupAccountHistory(HistoryQuery, long)} reads one page; {@link #accountAt(long, long)} answers the
 * account's balances at a time.
 *
 * <h2>Wallet policies</h2>
 * The operator commands ({@link #accountCommands(List)} and its single forms, {@link #setAccountLimits(List)},
 * {@link #setCodeLimits(List)}, {@link #setFees(List)}, {@link #setReviewThresholds(List)},
 * {@link #reviewTransfers(List)}, {@link #setPolicySetting(PolicySetting, long)}) answer one {@link ResultCode} per
 * command, in order; each command applies or fails on its own (there are no linked chains of them). A transfer
 * above its currency's review threshold answers {@code HELD_FOR_REVIEW}, a success: the money is held until
 * {@link #reviewTransfers(List)} approves or rejects it. {@link #lookupPolicies()} reads every policy table.
 *
 * <h2>Failures and retrying</h2>
 * A future completes exceptionally with a {@link WalletException} when the server refused a whole request (nothing
 * applied; {@code BUSY} is retried first), with a {@link WalletTimeoutException} when no answer came within the
 * request timeout, and with a {@link WalletConnectionException} when the connection was lost with the request on
 * the wire or the client was closed. After a time-out or a lost connection <b>the outcome is unknown</b>; resending
 * the same transfers with the same ids is always safe: the ledger answers {@code EXISTS} (or the first attempt's
 * failure) for every transfer it already has and moves no money twice. The client reconnects in the background
 * (exponential backoff) when {@link WalletClientOptions#reconnect()} is on; requests made while disconnected wait
 * for the connection until their time-out.
 *
 * <h2>Threads</h2>
 * Every future completes on the client's single I/O thread, so dependent stages ({@code thenApply} and the like)
 * run there too: they must not block. The {@code *Sync} methods refuse to run on that thread.
 */
public final class WalletClient implements AutoCloseable
{
    private final WalletClientOptions options;
    private final RequestDispatcher dispatcher;
    private final TransferBatcher batcher;

    private WalletClient(final WalletClientOptions options, final RequestDispatcher dispatcher)
    {
        this.options = options;
        this.dispatcher = dispatcher;
        this.batcher = new TransferBatcher(dispatcher, options);
    }

    /**
     * Connects with the default options.
     *
     * @param host the server's binary gateway host.
     * @param port the server's binary gateway port.
     * @return a connected client.
     * @throws WalletConnectionException if the first connection cannot be made.
     */
    public static WalletClient connect(final String host, final int port)
    {
        return connect(WalletClientOptions.builder(host, port).build());
    }

    /**
     * Connects, waiting at most the request timeout for the first connection. Later losses of the connection are
     * handled in the background.
     *
     * @param options where and how.
     * @return a connected client.
     * @throws WalletConnectionException if the first connection cannot be made.
     */
    public static WalletClient connect(final WalletClientOptions options)
    {
        final RequestDispatcher dispatcher = new RequestDispatcher(options);
        final String where = options.host() + ":" + options.port();
        try
        {
            dispatcher.start().get(options.requestTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1),
                TimeUnit.NANOSECONDS);
            return new WalletClient(options, dispatcher);
        }
        catch (final ExecutionException ex)
        {
            dispatcher.close(() -> {});
            if (ex.getCause() instanceof WalletAuthenticationException)
            {
                throw new WalletAuthenticationException("cannot connect to " + where + ": " +
                    ex.getCause().getMessage(), ex.getCause());
            }
            throw new WalletConnectionException("cannot connect to " + where + ": " + ex.getCause().getMessage(),
                ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            dispatcher.close(() -> {});
            throw new WalletConnectionException("cannot connect to " + where + " within " + options.requestTimeout(),
                ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            dispatcher.close(() -> {});
            throw new WalletConnectionException("interrupted while connecting to " + where, ex);
        }
    }

    /**
     * Creates accounts.
     *
     * @param accounts in order; consecutive accounts with {@code linked} form all-or-nothing chains.
     * @return one result per account, in order.
     * @throws IllegalArgumentException if a linked chain is longer than {@code batchEventsMax}.
     */
    public CompletableFuture<List<ResultCode>> createAccounts(final List<Account> accounts)
    {
        final List<Account> events = List.copyOf(accounts);
        final int[] bounds = BatchBounds.of(events.size(), options.batchEventsMax(), i -> events.get(i).linked());
        return inRequests(bounds, (from, to) ->
        {
            final long correlationId = dispatcher.nextCorrelationId();
            final int count = to - from;
            return dispatcher.submit(new PendingRequest<>(RequestType.CREATE_ACCOUNTS, correlationId,
                RequestEncoder.createAccounts(correlationId, events, from, to),
                deadline(), response -> response.createResults(count)));
        });
    }

    /**
     * Creates transfers.
     *
     * @param transfers in order; consecutive transfers with {@code linked} form all-or-nothing chains.
     * @return one result per transfer, in order.
     * @throws IllegalArgumentException if a linked chain is longer than {@code batchEventsMax}.
     */
    public CompletableFuture<List<ResultCode>> createTransfers(final List<Transfer> transfers)
    {
        final List<Transfer> events = List.copyOf(transfers);
        final int[] bounds = BatchBounds.of(events.size(), options.batchEventsMax(), i -> events.get(i).linked());
        return inRequests(bounds, (from, to) ->
        {
            final long correlationId = dispatcher.nextCorrelationId();
            final int count = to - from;
            return dispatcher.submit(new PendingRequest<>(RequestType.CREATE_TRANSFERS, correlationId,
                RequestEncoder.createTransfers(correlationId, events, from, to),
                deadline(), response -> response.createResults(count)));
        });
    }

    /**
     * Creates one transfer, sharing a request with the single transfers of other threads (automatic batching).
     * No order is promised between single transfers in flight at the same time: to post or void a hold, or to
     * spend money just received, wait for the earlier transfer's future first (or send both in one
     * {@link #createTransfers(List)}).
     *
     * @param transfer not linked: a chain must be sent whole with {@link #createTransfers(List)}, or its
     *                 {@code linked} flag would join a stranger's transfer to it.
     * @return the transfer's result.
     * @throws IllegalArgumentException if the transfer is linked.
     */
    public CompletableFuture<ResultCode> createTransfer(final Transfer transfer)
    {
        Objects.requireNonNull(transfer, "transfer");
        if (transfer.linked())
        {
            throw new IllegalArgumentException("a single transfer cannot be linked; send a linked chain whole with " +
                "createTransfers(List)");
        }
        if (dispatcher.isClosed())
        {
            return CompletableFuture.failedFuture(RequestDispatcher.closedException());
        }
        return batcher.add(transfer);
    }

    /**
     * Looks up accounts.
     *
     * @param ids account ids.
     * @return the accounts found, in the order asked; ids not found are left out.
     */
    public CompletableFuture<List<AccountRecord>> lookupAccounts(final long... ids)
    {
        final long[] copy = ids.clone();
        final int[] bounds = BatchBounds.of(copy.length, options.batchEventsMax(), i -> false);
        return inRequests(bounds, (from, to) ->
        {
            final long correlationId = dispatcher.nextCorrelationId();
            return dispatcher.submit(new PendingRequest<>(RequestType.LOOKUP_ACCOUNTS, correlationId,
                RequestEncoder.lookupAccounts(correlationId, copy, from, to),
                deadline(), ResponseAdapter::accounts));
        });
    }

    /**
     * @param id an account id.
     * @return the account, or empty if there is none with that id.
     */
    public CompletableFuture<Optional<AccountRecord>> lookupAccount(final long id)
    {
        return lookupAccounts(id).thenApply(found -> found.stream().findFirst());
    }

    /**
     * Looks up transfers: successful ones still in the server's idempotency window, and open holds.
     *
     * @param ids transfer ids.
     * @return the transfers found, in the order asked; ids not found (or whose transfer failed) are left out.
     */
    public CompletableFuture<List<TransferRecord>> lookupTransfers(final TransferId... ids)
    {
        final TransferId[] copy = ids.clone();
        for (final TransferId id : copy)
        {
            Objects.requireNonNull(id, "id");
        }
        final int[] bounds = BatchBounds.of(copy.length, options.batchEventsMax(), i -> false);
        return inRequests(bounds, (from, to) ->
        {
            final long correlationId = dispatcher.nextCorrelationId();
            return dispatcher.submit(new PendingRequest<>(RequestType.LOOKUP_TRANSFERS, correlationId,
                RequestEncoder.lookupTransfers(correlationId, copy, from, to),
                deadline(), ResponseAdapter::transfers));
        });
    }

    /**
     * Blocking {@link #createAccounts(List)}.
     *
     * @return one result per account.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<ResultCode> createAccountsSync(final List<Account> accounts)
    {
        return await(createAccounts(accounts));
    }

    /**
     * Blocking {@link #createTransfers(List)}.
     *
     * @return one result per transfer.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<ResultCode> createTransfersSync(final List<Transfer> transfers)
    {
        return await(createTransfers(transfers));
    }

    /**
     * Blocking {@link #createTransfer(Transfer)}.
     *
     * @return the transfer's result.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public ResultCode createTransferSync(final Transfer transfer)
    {
        return await(createTransfer(transfer));
    }

    /**
     * Blocking {@link #lookupAccounts(long...)}.
     *
     * @return the accounts found.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<AccountRecord> lookupAccountsSync(final long... ids)
    {
        return await(lookupAccounts(ids));
    }

    /**
     * Blocking {@link #lookupTransfers(TransferId...)}.
     *
     * @return the transfers found.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<TransferRecord> lookupTransfersSync(final TransferId... ids)
    {
        return await(lookupTransfers(ids));
    }

    // ------------------------------------------------------------------------------------------ history

    /**
     * One page of an account's history, from the server's permanent record: every transfer of the account, with its
     * balances right after it. The answer includes every transfer acknowledged before the request was sent (the
     * server waits, a bounded time, for its record to catch up, else refuses with {@code RECORD_BEHIND}: ask again).
     * Pages do not skip or repeat a transfer when others are applied between requests.
     *
     * @param cursor {@link HistoryPage#FIRST}, or the {@link HistoryPage#nextCursor()} of the page before.
     * @return the page; fails with {@code RECORD_OFF} if the server keeps no record, or {@code FORBIDDEN} if the
     * key may not read the account.
     */
    public CompletableFuture<HistoryPage> lookupAccountHistory(final HistoryQuery query, final long cursor)
    {
        Objects.requireNonNull(query, "query");
        if (cursor < HistoryPage.FIRST)
        {
            throw new IllegalArgumentException("cursor is HistoryPage.FIRST or a page's nextCursor, not " + cursor);
        }
        return send(RequestType.LOOKUP_ACCOUNT_HISTORY,
            correlationId -> RequestEncoder.lookupAccountHistory(correlationId, query, cursor),
            ResponseAdapter::history);
    }

    /**
     * Blocking {@link #lookupAccountHistory(HistoryQuery, long)}.
     *
     * @throws WalletClientException why there is no page (see the class comment).
     */
    public HistoryPage lookupAccountHistorySync(final HistoryQuery query, final long cursor)
    {
        return await(lookupAccountHistory(query, cursor));
    }

    /**
     * An account's whole history as an iterable: each iterator asks for the next page when it has handed out the one
     * before (blocking, so not on the client's I/O thread), and ends after the last page. A failed request throws
     * its {@link WalletClientException} from {@code hasNext()}.
     */
    public Iterable<HistoryEntry> accountHistory(final HistoryQuery query)
    {
        Objects.requireNonNull(query, "query");
        return () -> new HistoryIterator(query);
    }

    /**
     * The account as it was at a time: its balances right after the last transfer at or before it.
     *
     * @param timestamp an engine timestamp, ns since the epoch.
     * @return the history entry of that transfer, or empty if the account had none by then.
     */
    public CompletableFuture<Optional<HistoryEntry>> accountAt(final long accountId, final long timestamp)
    {
        return lookupAccountHistory(HistoryQuery.of(accountId).between(0, timestamp).withPageSize(1),
            HistoryPage.FIRST).thenApply(page -> page.entries().stream().findFirst());
    }

    /**
     * Blocking {@link #accountAt(long, long)}.
     *
     * @throws WalletClientException why there is no answer (see the class comment).
     */
    public Optional<HistoryEntry> accountAtSync(final long accountId, final long timestamp)
    {
        return await(accountAt(accountId, timestamp));
    }

    /**
     * Hands out one page after the other.
     */
    private final class HistoryIterator implements Iterator<HistoryEntry>
    {
        private final HistoryQuery query;
        private Iterator<HistoryEntry> page = Collections.emptyIterator();
        private long next = HistoryPage.FIRST;
        private boolean last;

        HistoryIterator(final HistoryQuery query)
        {
            this.query = query;
        }

        @Override
        public boolean hasNext()
        {
            while (!page.hasNext() && !last)
            {
                final HistoryPage fetched = lookupAccountHistorySync(query, next);
                page = fetched.entries().iterator();
                next = fetched.nextCursor();
                last = !fetched.hasNext();
            }
            return page.hasNext();
        }

        @Override
        public HistoryEntry next()
        {
            if (!hasNext())
            {
                throw new NoSuchElementException();
            }
            return page.next();
        }
    }

    // ------------------------------------------------------------------------------------------ policies

    /**
     * Freezes, unfreezes or closes accounts.
     *
     * @param commands in order.
     * @return one result per command, in order: {@code OK} (also when the effect already held), or why not, e.g.
     * {@code ACCOUNT_NOT_FOUND}, {@code ACCOUNT_CLOSED}, {@code ACCOUNT_HAS_PENDING_TRANSFERS} or
     * {@code ACCOUNT_BALANCE_NOT_ZERO} for a close.
     */
    public CompletableFuture<List<ResultCode>> accountCommands(final List<AccountCommand> commands)
    {
        return commands(RequestType.ACCOUNT_COMMANDS, commands, RequestEncoder::accountCommands);
    }

    /**
     * @param scope {@code DEBITS}: it may still receive; {@code ALL}: it may neither send nor receive.
     * @return the result of freezing the account.
     */
    public CompletableFuture<ResultCode> freezeAccount(final long accountId, final FreezeScope scope)
    {
        return first(accountCommands(List.of(AccountCommand.freeze(accountId, scope))));
    }

    /**
     * @return the result of making a frozen account active again.
     */
    public CompletableFuture<ResultCode> unfreezeAccount(final long accountId)
    {
        return first(accountCommands(List.of(AccountCommand.unfreeze(accountId))));
    }

    /**
     * @return the result of closing the account for good.
     */
    public CompletableFuture<ResultCode> closeAccount(final long accountId)
    {
        return first(accountCommands(List.of(AccountCommand.close(accountId))));
    }

    /**
     * Replaces the limits of accounts. What an account already spent today, and its recent debits, still count.
     *
     * @param limits in order.
     * @return one result per account, in order.
     */
    public CompletableFuture<List<ResultCode>> setAccountLimits(final List<AccountLimits> limits)
    {
        return commands(RequestType.SET_ACCOUNT_LIMITS, limits, RequestEncoder::setAccountLimits);
    }

    /**
     * Replaces the default limits of account codes, given to accounts created later with those codes.
     *
     * @param limits in order.
     * @return one result per code, in order.
     */
    public CompletableFuture<List<ResultCode>> setCodeLimits(final List<CodeLimits> limits)
    {
        return commands(RequestType.SET_CODE_LIMITS, limits, RequestEncoder::setCodeLimits);
    }

    /**
     * Sets or removes ({@link FeeSchedule#removal}) the fees of transfer codes and currencies.
     *
     * @param fees in order.
     * @return one result per entry, in order.
     */
    public CompletableFuture<List<ResultCode>> setFees(final List<FeeSchedule> fees)
    {
        return commands(RequestType.SET_FEES, fees, RequestEncoder::setFees);
    }

    /**
     * Sets or removes (threshold 0) the review thresholds of currencies.
     *
     * @param thresholds in order.
     * @return one result per currency, in order.
     */
    public CompletableFuture<List<ResultCode>> setReviewThresholds(final List<ReviewThreshold> thresholds)
    {
        return commands(RequestType.SET_REVIEW_THRESHOLDS, thresholds, RequestEncoder::setReviewThresholds);
    }

    /**
     * Approves (posts) or rejects (voids) holds held for review. A decision's id is an idempotency key: resending
     * it answers {@code EXISTS}.
     *
     * @param decisions in order.
     * @return one result per decision, in order, e.g. {@code PENDING_TRANSFER_NOT_UNDER_REVIEW} for an ordinary hold.
     */
    public CompletableFuture<List<ResultCode>> reviewTransfers(final List<ReviewDecision> decisions)
    {
        return commands(RequestType.REVIEW_TRANSFERS, decisions, RequestEncoder::reviewTransfers);
    }

    /**
     * Sets a ledger-wide setting, e.g. {@code DAY_START_SECONDS} (0 to 86,399: where a day of the daily limits
     * starts after 00:00 UTC).
     *
     * @return the result, {@code SETTING_OUT_OF_RANGE} for a value the setting does not take.
     */
    public CompletableFuture<ResultCode> setPolicySetting(final PolicySetting setting, final long value)
    {
        Objects.requireNonNull(setting, "setting");
        if (setting == PolicySetting.NULL_VAL)
        {
            throw new IllegalArgumentException("NULL_VAL is not a setting");
        }
        return first(send(RequestType.SET_POLICY_SETTINGS,
            correlationId -> RequestEncoder.setPolicySetting(correlationId, setting, value),
            response -> response.createResults(1)));
    }

    /**
     * @return the fee schedule, review thresholds, default limits per account code and settings.
     */
    public CompletableFuture<Policies> lookupPolicies()
    {
        return send(RequestType.LOOKUP_POLICIES, RequestEncoder::lookupPolicies,
            ResponseAdapter::policies);
    }

    /**
     * Blocking {@link #accountCommands(List)}.
     *
     * @return one result per command.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<ResultCode> accountCommandsSync(final List<AccountCommand> commands)
    {
        return await(accountCommands(commands));
    }

    /**
     * Blocking {@link #freezeAccount(long, FreezeScope)}.
     *
     * @return the result.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public ResultCode freezeAccountSync(final long accountId, final FreezeScope scope)
    {
        return await(freezeAccount(accountId, scope));
    }

    /**
     * Blocking {@link #unfreezeAccount(long)}.
     *
     * @return the result.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public ResultCode unfreezeAccountSync(final long accountId)
    {
        return await(unfreezeAccount(accountId));
    }

    /**
     * Blocking {@link #closeAccount(long)}.
     *
     * @return the result.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public ResultCode closeAccountSync(final long accountId)
    {
        return await(closeAccount(accountId));
    }

    /**
     * Blocking {@link #setAccountLimits(List)}.
     *
     * @return one result per account.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<ResultCode> setAccountLimitsSync(final List<AccountLimits> limits)
    {
        return await(setAccountLimits(limits));
    }

    /**
     * Blocking {@link #setCodeLimits(List)}.
     *
     * @return one result per code.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<ResultCode> setCodeLimitsSync(final List<CodeLimits> limits)
    {
        return await(setCodeLimits(limits));
    }

    /**
     * Blocking {@link #setFees(List)}.
     *
     * @return one result per entry.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<ResultCode> setFeesSync(final List<FeeSchedule> fees)
    {
        return await(setFees(fees));
    }

    /**
     * Blocking {@link #setReviewThresholds(List)}.
     *
     * @return one result per currency.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<ResultCode> setReviewThresholdsSync(final List<ReviewThreshold> thresholds)
    {
        return await(setReviewThresholds(thresholds));
    }

    /**
     * Blocking {@link #reviewTransfers(List)}.
     *
     * @return one result per decision.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public List<ResultCode> reviewTransfersSync(final List<ReviewDecision> decisions)
    {
        return await(reviewTransfers(decisions));
    }

    /**
     * Blocking {@link #setPolicySetting(PolicySetting, long)}.
     *
     * @return the result.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public ResultCode setPolicySettingSync(final PolicySetting setting, final long value)
    {
        return await(setPolicySetting(setting, value));
    }

    /**
     * Blocking {@link #lookupPolicies()}.
     *
     * @return the policies.
     * @throws WalletClientException why there is no result (see the class comment).
     */
    public Policies lookupPoliciesSync()
    {
        return await(lookupPolicies());
    }

    /**
     * @return the options this client runs with.
     */
    public WalletClientOptions options()
    {
        return options;
    }

    /**
     * @return whether the connection is up right now.
     */
    public boolean isConnected()
    {
        return dispatcher.isConnected();
    }

    /**
     * @return requests written to the connection so far, resends after {@code BUSY} included. With
     * {@link #createTransfer(Transfer)} under concurrency this grows far slower than the number of transfers.
     */
    public long requestsSent()
    {
        return dispatcher.requestsSent();
    }

    /**
     * @return connections made so far: 1 after {@link #connect}, one more per reconnection.
     */
    public long connectionsEstablished()
    {
        return dispatcher.connectionsEstablished();
    }

    /**
     * Closes the connection and stops the I/O thread. Requests not yet sent fail with a
     * {@link WalletConnectionException}; so do requests in flight, whose outcome is then unknown. Idempotent.
     */
    @Override
    public void close()
    {
        dispatcher.close(batcher::closeOnLoop);
    }

    private long deadline()
    {
        return System.nanoTime() + options.requestTimeout().toNanos();
    }

    /**
     * Sends the slices of a call one after the other (so their order on the ledger is the caller's order) and
     * joins their results.
     */
    private <R> CompletableFuture<List<R>> inRequests(final int[] bounds, final RequestSlice<R> slice)
    {
        if (dispatcher.isClosed())
        {
            return CompletableFuture.failedFuture(RequestDispatcher.closedException());
        }
        final int requests = bounds.length - 1;
        if (bounds[requests] == 0)
        {
            return CompletableFuture.completedFuture(List.of());
        }
        if (requests == 1)
        {
            return slice.send(0, bounds[1]);
        }
        CompletableFuture<List<R>> joined = CompletableFuture.completedFuture(new ArrayList<>(bounds[requests]));
        for (int i = 0; i < requests; i++)
        {
            final int from = bounds[i];
            final int to = bounds[i + 1];
            joined = joined.thenCompose(results -> slice.send(from, to).thenApply(part ->
            {
                results.addAll(part);
                return results;
            }));
        }
        // Fail with the request's own exception, as a call of one request does, not a CompletionException around it.
        final CompletableFuture<List<R>> result = new CompletableFuture<>();
        joined.whenComplete((results, failure) ->
        {
            if (failure != null)
            {
                result.completeExceptionally(
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
            }
            else
            {
                result.complete(Collections.unmodifiableList(results));
            }
        });
        return result;
    }

    /**
     * Sends operator commands, {@code batchEventsMax} per request, one request after the other.
     */
    private <E> CompletableFuture<List<ResultCode>> commands(
        final RequestType type, final List<E> commands, final SliceEncoder<E> encoder)
    {
        final List<E> events = List.copyOf(commands);
        final int[] bounds = BatchBounds.of(events.size(), options.batchEventsMax(), i -> false);
        return inRequests(bounds, (from, to) ->
        {
            final long correlationId = dispatcher.nextCorrelationId();
            final int count = to - from;
            return dispatcher.submit(new PendingRequest<>(type, correlationId,
                encoder.encode(correlationId, events, from, to), deadline(), response -> response.createResults(count)));
        });
    }

    /**
     * Sends one request that is not a batch of the caller's events.
     */
    private <T> CompletableFuture<T> send(
        final RequestType type,
        final LongFunction<byte[]> encoder,
        final PendingRequest.ResponseReader<T> reader)
    {
        if (dispatcher.isClosed())
        {
            return CompletableFuture.failedFuture(RequestDispatcher.closedException());
        }
        final long correlationId = dispatcher.nextCorrelationId();
        return dispatcher.submit(
            new PendingRequest<>(type, correlationId, encoder.apply(correlationId), deadline(), reader));
    }

    private static CompletableFuture<ResultCode> first(final CompletableFuture<List<ResultCode>> results)
    {
        return results.thenApply(list -> list.get(0));
    }

    private <T> T await(final CompletableFuture<T> future)
    {
        if (dispatcher.loop().inEventLoop())
        {
            throw new IllegalStateException("a blocking call on the client's I/O thread would never return; " +
                "use the asynchronous method in a dependent stage");
        }
        try
        {
            return future.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new WalletClientException("interrupted while waiting for the ledger; the outcome is unknown", ex);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException)
            {
                throw (RuntimeException)cause;
            }
            if (cause instanceof Error)
            {
                throw (Error)cause;
            }
            throw new WalletClientException(String.valueOf(cause), cause);
        }
    }

    /**
     * Sends one request of a call: events {@code from} (inclusive) to {@code to} (exclusive).
     */
    @FunctionalInterface
    private interface RequestSlice<R>
    {
        CompletableFuture<List<R>> send(int from, int to);
    }

    /**
     * Encodes one request of a call: events {@code from} (inclusive) to {@code to} (exclusive).
     */
    @FunctionalInterface
    private interface SliceEncoder<E>
    {
        byte[] encode(long correlationId, List<E> events, int from, int to);
    }

    @Override
    public String toString()
    {
        return "WalletClient{" + options.host() + ":" + options.port() + (isConnected() ? ", connected" : "") + "}";
    }
}
