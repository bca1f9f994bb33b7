package io.walletledger.gateway.security;

import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.ReviewTransfersDecoder;
import io.walletledger.protocol.sbe.SetAccountLimitsDecoder;
import io.walletledger.protocol.sbe.SetCodeLimitsDecoder;
import io.walletledger.protocol.sbe.SetFeesDecoder;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsDecoder;
import org.agrona.DirectBuffer;

/**
 * Whether a key may send one request, checked in the gateway before the request reaches the ledger, for the binary
 * protocol and the HTTP API alike (an HTTP request becomes the same SBE request first). In order:
 * <ol>
 *   <li>role: {@code read} for the lookups, {@code transfer} for {@code CreateTransfers}, {@code admin} for the
 *       rest; a higher role includes the lower ones;</li>
 *   <li>account restriction: a restricted key may name only its accounts: the debit account of every transfer
 *       (so a post or void must name its debit account), every account looked up, created, or changed by
 *       {@code AccountCommands} or {@code SetAccountLimits}; ledger-wide changes are refused, and a lookup of
 *       transfers by id goes through but its answer shows only the key's transfers ({@link TransferLookupFilter});</li>
 *   <li>rate: the transfers of a {@code CreateTransfers} must fit in the key's token bucket.</li>
 * </ol>
 * One instance per connection (it keeps its decoders); the request must have passed the {@code RequestValidator}.
 * Allocates nothing when the request may go.
 */
public final class RequestAccess
{
    private final TransferRateLimits rateLimits;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CreateTransfersDecoder createTransfers = new CreateTransfersDecoder();
    private final CreateAccountsDecoder createAccounts = new CreateAccountsDecoder();
    private final LookupAccountsDecoder lookupAccounts = new LookupAccountsDecoder();
    private final AccountCommandsDecoder accountCommands = new AccountCommandsDecoder();
    private final SetAccountLimitsDecoder accountLimits = new SetAccountLimitsDecoder();
    private String message;
    private long retryAfterNanos;

    public RequestAccess(final TransferRateLimits rateLimits)
    {
        this.rateLimits = rateLimits;
    }

    /**
     * @return the role a request template needs.
     */
    public static Role requiredRole(final int templateId)
    {
        switch (templateId)
        {
            case LookupAccountsDecoder.TEMPLATE_ID:
            case LookupTransfersDecoder.TEMPLATE_ID:
            case LookupPoliciesDecoder.TEMPLATE_ID:
                return Role.READ;
            case CreateTransfersDecoder.TEMPLATE_ID:
                return Role.TRANSFER;
            default:
                return Role.ADMIN;
        }
    }

    /**
     * @return null if {@code key} may send the request; otherwise {@code FORBIDDEN} or {@code RATE_LIMITED}, with
     * {@link #message()} saying why (and {@link #retryAfterNanos()} for a rate limit).
     */
    public ErrorCode check(final ApiKey key, final DirectBuffer request, final int offset, final int length)
    {
        header.wrap(request, offset);
        final int templateId = header.templateId();
        final Role required = requiredRole(templateId);
        if (!key.has(required))
        {
            return forbidden("key " + key.id() + " lacks the " + required.label() + " role");
        }
        if (key.restricted())
        {
            final ErrorCode denied = checkAccounts(key, templateId, request, offset);
            if (denied != null)
            {
                return denied;
            }
        }
        if (templateId == CreateTransfersDecoder.TEMPLATE_ID)
        {
            final int transfers = request.getShort(offset + MessageHeaderDecoder.ENCODED_LENGTH +
                header.blockLength() + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final long wait = rateLimits.tryTake(key, transfers);
            if (wait != TransferRateLimits.ALLOWED)
            {
                retryAfterNanos = wait;
                message = wait == TransferRateLimits.NEVER ?
                    "key " + key.id() + " may send at most " + rateLimits.burstOf(key) + " transfers at once" :
                    "key " + key.id() + " is limited to " + rateLimits.rateOf(key) + " transfers per second";
                return ErrorCode.RATE_LIMITED;
            }
        }
        return null;
    }

    /**
     * @return why the last {@link #check} refused.
     */
    public String message()
    {
        return message;
    }

    /**
     * @return after a {@code RATE_LIMITED}: nanoseconds until the same request could pass, or
     * {@link TransferRateLimits#NEVER}.
     */
    public long retryAfterNanos()
    {
        return retryAfterNanos;
    }

    private ErrorCode checkAccounts(final ApiKey key, final int templateId, final DirectBuffer request, final int offset)
    {
        switch (templateId)
        {
            case CreateTransfersDecoder.TEMPLATE_ID:
                createTransfers.wrapAndApplyHeader(request, offset, header);
                for (final CreateTransfersDecoder.TransfersDecoder transfer : createTransfers.transfers())
                {
                    if (!key.mayUse(transfer.debitAccountId()))
                    {
                        return forbidden(transfer.debitAccountId() == 0 ?
                            "key " + key.id() + " is restricted to some accounts: a post or void must name its " +
                            "debit account" :
                            "key " + key.id() + " may not debit account " +
                            Long.toUnsignedString(transfer.debitAccountId()));
                    }
                }
                return null;
            case LookupAccountsDecoder.TEMPLATE_ID:
                lookupAccounts.wrapAndApplyHeader(request, offset, header);
                for (final LookupAccountsDecoder.IdsDecoder id : lookupAccounts.ids())
                {
                    if (!key.mayUse(id.id()))
                    {
                        return notItsAccount(key, id.id());
                    }
                }
                return null;
            case CreateAccountsDecoder.TEMPLATE_ID:
                createAccounts.wrapAndApplyHeader(request, offset, header);
                for (final CreateAccountsDecoder.AccountsDecoder account : createAccounts.accounts())
                {
                    if (!key.mayUse(account.id()))
                    {
                        return notItsAccount(key, account.id());
                    }
                }
                return null;
            case AccountCommandsDecoder.TEMPLATE_ID:
                accountCommands.wrapAndApplyHeader(request, offset, header);
                for (final AccountCommandsDecoder.CommandsDecoder command : accountCommands.commands())
                {
                    if (!key.mayUse(command.accountId()))
                    {
                        return notItsAccount(key, command.accountId());
                    }
                }
                return null;
            case SetAccountLimitsDecoder.TEMPLATE_ID:
                accountLimits.wrapAndApplyHeader(request, offset, header);
                for (final SetAccountLimitsDecoder.LimitsDecoder limits : accountLimits.limits())
                {
                    if (!key.mayUse(limits.accountId()))
                    {
                        return notItsAccount(key, limits.accountId());
                    }
                }
                return null;
            case LookupTransfersDecoder.TEMPLATE_ID:
                // Whose a transfer is shows only in the answer: TransferLookupFilter cuts that down.
            case LookupPoliciesDecoder.TEMPLATE_ID:
                return null;
            case SetCodeLimitsDecoder.TEMPLATE_ID:
            case SetFeesDecoder.TEMPLATE_ID:
            case SetReviewThresholdsDecoder.TEMPLATE_ID:
            case ReviewTransfersDecoder.TEMPLATE_ID:
            case SetPolicySettingsDecoder.TEMPLATE_ID:
            default:
                return forbidden("key " + key.id() + " is restricted to some accounts and so cannot change " +
                    "ledger-wide settings");
        }
    }

    private ErrorCode notItsAccount(final ApiKey key, final long accountId)
    {
        return forbidden("key " + key.id() + " may not use account " + Long.toUnsignedString(accountId));
    }

    private ErrorCode forbidden(final String why)
    {
        message = why;
        return ErrorCode.FORBIDDEN;
    }
}
