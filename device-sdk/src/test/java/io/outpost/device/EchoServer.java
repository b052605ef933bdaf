package io.outpost.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The device's local service in the tunnel tests (its sshd): on 127.0.0.1, writes back what each connection sends
 * until that connection's input ends or fails, then closes it and reports the bytes it echoed.
 */
public final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final BlockingQueue<Long> ended = new LinkedBlockingQueue<>();

    public EchoServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The bytes echoed by each connection that ended, in the order they ended. */
    public BlockingQueue<Long> ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread echo = new Thread(() -> echo(socket), "echo");
                echo.setDaemon(true);
                echo.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket socket) {
        long echoed = 0;
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                echoed += n;
            }
        } catch (IOException e) {
            // the connection ended: reported below like an orderly end
        }
        ended.add(echoed);
    }
}
