package io.walletledger.client;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP peer that accepts connections and reads requests but never answers: a server that hangs, or a network that
 * lost the replies. Closing it drops every connection, as a crashed server would.
 */
final class SilentServer implements AutoCloseable
{
    private final ServerSocket listener;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SilentServer(final ServerSocket listener)
    {
        this.listener = listener;
        this.acceptor = new Thread(this::acceptAll, "silent-server");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    static SilentServer start() throws IOException
    {
        return new SilentServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    int port()
    {
        return listener.getLocalPort();
    }

    /**
     * @return the next connection a client made.
     */
    Socket awaitConnection() throws InterruptedException
    {
        final Socket socket = accepted.poll(10, TimeUnit.SECONDS);
        if (socket == null)
        {
            throw new IllegalStateException("no client connected within 10 s");
        }
        return socket;
    }

    /**
     * Reads one whole frame, proving a request reached the wire.
     *
     * @return the message (without its length field).
     */
    static byte[] readFrame(final Socket socket) throws IOException
    {
        socket.setSoTimeout(10_000);
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        final byte[] lengthField = new byte[4];
        in.readFully(lengthField);
        final byte[] message = new byte[ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN).getInt()];
        in.readFully(message);
        return message;
    }

    private void acceptAll()
    {
        try
        {
            while (!listener.isClosed())
            {
                final Socket socket = listener.accept();
                connections.add(socket);
                accepted.add(socket);
            }
        }
        catch (final SocketException closed)
        {
            // The listener was closed: stop accepting.
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Stops listening first (so a reconnecting client is refused), then drops every connection, as a crashed server
     * would. Idempotent.
     */
    void crash() throws IOException
    {
        listener.close();
        try
        {
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        for (final Socket socket : connections)
        {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException
    {
        crash();
    }
}
