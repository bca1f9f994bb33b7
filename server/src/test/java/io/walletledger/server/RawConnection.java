package io.walletledger.server;

import io.walletledger.protocol.FrameDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A plain blocking socket speaking the binary protocol's framing, for tests that must send what no client would.
 */
final class RawConnection implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawConnection(final InetSocketAddress address) throws IOException
    {
        this(address, 0);
    }

    /**
     * @param receiveBuffer the socket's receive buffer in bytes, 0 for the default: small ones make a slow reader.
     */
    RawConnection(final InetSocketAddress address, final int receiveBuffer) throws IOException
    {
        this(connect(new Socket(), address, receiveBuffer));
    }

    private RawConnection(final Socket socket) throws IOException
    {
        this.socket = socket;
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /**
     * @return a connection that speaks TLS, verifying the server's certificate and that it names the address.
     */
    static RawConnection tls(final InetSocketAddress address, final SSLContext context) throws IOException
    {
        final SSLSocket socket = (SSLSocket)connect(context.getSocketFactory().createSocket(), address, 0);
        final SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return new RawConnection(socket);
    }

    private static Socket connect(final Socket socket, final InetSocketAddress address, final int receiveBuffer)
        throws IOException
    {
        if (receiveBuffer > 0)
        {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, 5_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /**
     * Sends one frame: the length field, then the message.
     */
    void send(final byte[] message) throws IOException
    {
        sendRaw(frame(message));
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    static byte[] frame(final byte[] message)
    {
        final ByteBuffer frame = ByteBuffer.allocate(FrameDescriptor.LENGTH_FIELD_LENGTH + message.length)
            .order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(message.length).put(message);
        return frame.array();
    }

    /**
     * @return the next response message, without its length field.
     * @throws EOFException if the server closed the connection.
     */
    byte[] receive() throws IOException
    {
        final int length = Integer.reverseBytes(in.readInt());
        final byte[] message = new byte[length];
        in.readFully(message);
        return message;
    }

    /**
     * @return whether the server closed the connection (end of stream or reset) before sending anything more.
     */
    boolean isClosedByServer()
    {
        try
        {
            return in.read() < 0;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /**
     * Reads until the server closes the connection (end of stream or a reset).
     *
     * @return how many bytes came before the end.
     * @throws java.net.SocketTimeoutException if the server keeps it open for 30 seconds.
     */
    int readUntilClosed() throws IOException
    {
        int bytes = 0;
        try
        {
            while (in.read() >= 0)
            {
                bytes++;
            }
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            throw ex;
        }
        catch (final IOException reset)
        {
            // Closed with a reset: closed all the same.
        }
        return bytes;
    }

    static UnsafeBuffer buffer(final byte[] message)
    {
        return new UnsafeBuffer(message);
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
