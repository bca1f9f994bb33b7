package io.walletledger.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Promise;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.PortableBuffer;
import io.walletledger.protocol.ScramSha256;
import io.walletledger.protocol.sbe.AuthChallengeDecoder;
import io.walletledger.protocol.sbe.AuthHelloEncoder;
import io.walletledger.protocol.sbe.AuthProofEncoder;
import io.walletledger.protocol.sbe.AuthResultDecoder;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The client's side of the authentication exchange, first on every connection given credentials: sends
 * {@code AuthHello}, answers the challenge with its proof, and checks the server's signature, so it also knows it
 * talks to a server that holds the key. Sits in front of the response handler until done, then removes itself.
 */
final class ClientAuthExchange extends ChannelInboundHandlerAdapter
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WalletClientCredentials credentials;
    private final Promise<Void> done;
    private final byte[] clientNonce = new byte[ScramSha256.HASH_LENGTH];
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private byte[] authMessage;
    private byte[] serverKey;

    ClientAuthExchange(final WalletClientCredentials credentials, final Promise<Void> done)
    {
        this.credentials = credentials;
        this.done = done;
    }

    /**
     * Sends the {@code AuthHello}; {@code done} completes when the exchange does.
     */
    void start(final Channel channel)
    {
        RANDOM.nextBytes(clientNonce);
        final byte[] message = new byte[MessageHeaderEncoder.ENCODED_LENGTH + AuthHelloEncoder.BLOCK_LENGTH + 4 +
            credentials.keyId().length()];
        new AuthHelloEncoder().wrapAndApplyHeader(new PortableBuffer(message), 0, new MessageHeaderEncoder())
            .correlationId(0).putClientNonce(clientNonce, 0, clientNonce.length).keyId(credentials.keyId());
        write(channel, message);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        try
        {
            final byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            onMessage(ctx, new PortableBuffer(bytes), bytes.length);
        }
        catch (final RuntimeException ex)
        {
            fail(ctx, new WalletConnectionException("an unreadable answer during authentication: " + ex, ex));
        }
        finally
        {
            frame.release();
        }
    }

    private void onMessage(final ChannelHandlerContext ctx, final PortableBuffer message, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            fail(ctx, new WalletConnectionException("a short answer during authentication", null));
            return;
        }
        header.wrap(message, 0);
        switch (header.templateId())
        {
            case AuthChallengeDecoder.TEMPLATE_ID:
                onChallenge(ctx, new AuthChallengeDecoder().wrapAndApplyHeader(message, 0, header));
                return;
            case AuthResultDecoder.TEMPLATE_ID:
                onResult(ctx, new AuthResultDecoder().wrapAndApplyHeader(message, 0, header));
                return;
            case ErrorResponseDecoder.TEMPLATE_ID:
                final ErrorResponseDecoder error = new ErrorResponseDecoder().wrapAndApplyHeader(message, 0, header);
                fail(ctx, new WalletAuthenticationException("the server refused to authenticate key " +
                    credentials.keyId() + ": " + error.code() + ": " + error.message(), null));
                return;
            default:
                fail(ctx, new WalletConnectionException("template " + header.templateId() +
                    " during authentication", null));
        }
    }

    private void onChallenge(final ChannelHandlerContext ctx, final AuthChallengeDecoder challenge)
    {
        if (authMessage != null)
        {
            fail(ctx, new WalletConnectionException("a second challenge during authentication", null));
            return;
        }
        final byte[] salt = new byte[ScramSha256.SALT_LENGTH];
        challenge.getSalt(salt, 0, salt.length);
        final byte[] serverNonce = new byte[ScramSha256.HASH_LENGTH];
        challenge.getServerNonce(serverNonce, 0, serverNonce.length);
        final long iterations = challenge.iterations();
        if (iterations < ScramSha256.ITERATIONS_MIN || iterations > ScramSha256.ITERATIONS_MAX)
        {
            fail(ctx, new WalletAuthenticationException("the server asked for " + iterations +
                " PBKDF2 iterations, outside " + ScramSha256.ITERATIONS_MIN + ".." + ScramSha256.ITERATIONS_MAX, null));
            return;
        }
        final byte[] saltedPassword = credentials.saltedPassword(salt, (int)iterations);
        authMessage = ScramSha256.authMessage(credentials.keyId(), clientNonce, serverNonce, salt, (int)iterations);
        serverKey = ScramSha256.serverKey(saltedPassword);
        final byte[] proof = ScramSha256.clientProof(ScramSha256.clientKey(saltedPassword), authMessage);
        final byte[] message = new byte[MessageHeaderEncoder.ENCODED_LENGTH + AuthProofEncoder.BLOCK_LENGTH];
        new AuthProofEncoder().wrapAndApplyHeader(new PortableBuffer(message), 0, new MessageHeaderEncoder())
            .correlationId(0).putClientProof(proof, 0, proof.length);
        write(ctx.channel(), message);
    }

    private void onResult(final ChannelHandlerContext ctx, final AuthResultDecoder result)
    {
        if (authMessage == null)
        {
            fail(ctx, new WalletConnectionException("a result before the challenge during authentication", null));
            return;
        }
        if (result.ok() != 1)
        {
            fail(ctx, new WalletAuthenticationException("the server refused key " + credentials.keyId() +
                ": the key id or the secret is wrong", null));
            return;
        }
        final byte[] signature = new byte[ScramSha256.HASH_LENGTH];
        result.getServerSignature(signature, 0, signature.length);
        if (!MessageDigest.isEqual(signature, ScramSha256.serverSignature(serverKey, authMessage)))
        {
            fail(ctx, new WalletAuthenticationException("the server accepted key " + credentials.keyId() +
                " but could not prove that it holds the key: not the real server", null));
            return;
        }
        ctx.pipeline().remove(this);
        done.trySuccess(null);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        done.tryFailure(new WalletConnectionException("the server closed the connection during authentication", null));
        ctx.fireChannelInactive();
    }

    private void fail(final ChannelHandlerContext ctx, final WalletConnectionException cause)
    {
        done.tryFailure(cause);
        ctx.close();
    }

    private static void write(final Channel channel, final byte[] message)
    {
        final ByteBuf frame = channel.alloc().buffer(FrameDescriptor.LENGTH_FIELD_LENGTH + message.length);
        frame.writeIntLE(message.length).writeBytes(message);
        channel.writeAndFlush(frame);
    }
}
