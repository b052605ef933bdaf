package io.outpost.device;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A client WebSocket (RFC 6455) to the remote-access relay on a blocking socket: the subset the relay's protocol uses
 * (docs/remote-access.md): an upgrade with a bearer token, binary frames both ways, pings answered, the close
 * handshake. No extensions, no proxies.
 * <p>
 * Why not the JDK's {@code java.net.http.WebSocket}: it hands data over in 16 KiB pieces with a thread hop and a demand
 * round trip for each, which held a tunnel to about a tenth of what loopback TCP carries. Here a frame is one masked
 * write and its payload is read straight into the caller's buffer, on the caller's thread.
 * <p>
 * One thread reads ({@link #read}); any thread may send (sends are serialized).
 */
final class RelaySocket implements Closeable {
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_REFUSAL_BODY = 4 * 1024;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int MAX_CLOSE_REASON = 123;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What {@link #read} found. */
    sealed interface Incoming {
        /** {@code length} bytes of a binary (or continuation) frame's payload, at the start of the buffer. */
        record Data(int length) implements Incoming {
        }

        /** A text frame, which the protocol does not use; its payload was skipped. */
        record Text() implements Incoming {
        }

        /** The relay's close frame (1005 if it carried no code). */
        record Close(int code, String reason) implements Incoming {
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Object sending = new Object();
    private byte[] frame = new byte[14 + 64 * 1024];
    private long payloadLeft;
    private boolean closeSent;

    private RelaySocket(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and upgrades; {@code ws://} or {@code wss://} (with {@code ssl}, the host name verified).
     *
     * @throws RelayHandshakeException the relay answered something else than 101
     */
    static RelaySocket connect(URI url, String token, SSLContext ssl, Duration timeout) throws IOException {
        boolean secure = "wss".equalsIgnoreCase(url.getScheme());
        if (!secure && !"ws".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("a relay URL is ws:// or wss://, not " + url);
        }
        int port = url.getPort() > 0 ? url.getPort() : secure ? 443 : 80;
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(url.getHost(), port), (int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) timeout.toMillis());
            if (secure) {
                socket = secure(socket, url.getHost(), port, ssl);
            }
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            RelaySocket relay = new RelaySocket(socket, in);
            relay.upgrade(url, port, token);
            socket.setSoTimeout(0);
            return relay;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket secure(Socket plain, String host, int port, SSLContext ssl) throws IOException {
        SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private void upgrade(URI url, int port, String token) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            target += "?" + url.getRawQuery();
        }
        String request = "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + (url.getPort() > 0 ? ":" + port : "") + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String[] lines = readHead().split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new ProtocolException("not an HTTP answer to the upgrade: " + lines[0]);
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        int code = Integer.parseInt(status[1]);
        if (code != 101) {
            throw new RelayHandshakeException(code, readBody(headers.get("content-length")));
        }
        if (!"websocket".equalsIgnoreCase(headers.get("upgrade"))
                || !headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("upgrade")
                || !accept(key).equals(headers.get("sec-websocket-accept"))) {
            throw new ProtocolException("the relay's 101 is not a WebSocket upgrade of this request");
        }
        if (headers.containsKey("sec-websocket-extensions")) {
            throw new ProtocolException("the relay chose an extension none was offered: "
                    + headers.get("sec-websocket-extensions"));
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the relay closed the connection during the upgrade");
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
            if (head.size() > MAX_HEADER_BYTES) {
                throw new ProtocolException("the relay's answer to the upgrade has more than 16 KiB of headers");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private String readBody(String contentLength) throws IOException {
        int length;
        try {
            length = contentLength == null ? 0 : Math.min(Integer.parseInt(contentLength), MAX_REFUSAL_BODY);
        } catch (NumberFormatException e) {
            length = 0;
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** Sends {@code length} bytes of {@code data} as one binary frame. */
    void sendBinary(byte[] data, int offset, int length) throws IOException {
        send(OP_BINARY, data, offset, length);
    }

    /**
     * Sends the close frame, once (later calls do nothing): {@code code} and {@code reason}, cut to 123 bytes of
     * UTF-8 at a character boundary.
     */
    void sendClose(int code, String reason) throws IOException {
        byte[] text = fit(reason == null ? "" : reason);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        synchronized (sending) {
            if (closeSent) {
                return;
            }
            closeSent = true;
            send(OP_CLOSE, payload, 0, payload.length);
        }
    }

    private static byte[] fit(String reason) {
        String fitted = reason;
        byte[] bytes = fitted.getBytes(StandardCharsets.UTF_8);
        while (bytes.length > MAX_CLOSE_REASON) {
            fitted = fitted.substring(0, fitted.offsetByCodePoints(fitted.length(), -1));
            bytes = fitted.getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    private void send(int opcode, byte[] data, int offset, int length) throws IOException {
        synchronized (sending) {
            if (closeSent && opcode != OP_CLOSE) {
                throw new IOException("the close frame was sent: no more frames");
            }
            int header = length < 126 ? 6 : length < 65536 ? 8 : 14;
            if (frame.length < header + length) {
                frame = new byte[header + length];
            }
            frame[0] = (byte) (0x80 | opcode);
            if (length < 126) {
                frame[1] = (byte) (0x80 | length);
            } else if (length < 65536) {
                frame[1] = (byte) (0x80 | 126);
                frame[2] = (byte) (length >> 8);
                frame[3] = (byte) length;
            } else {
                frame[1] = (byte) (0x80 | 127);
                for (int i = 0; i < 8; i++) {
                    frame[2 + i] = (byte) ((long) length >> (56 - 8 * i));
                }
            }
            int mask = RANDOM.nextInt();
            for (int i = 0; i < 4; i++) {
                frame[header - 4 + i] = (byte) (mask >> (24 - 8 * i));
            }
            mask(data, offset, length, frame, header);
            out.write(frame, 0, header + length);
        }
    }

    /** Copies {@code length} bytes into {@code to} at {@code at}, XORed with the 4 bytes before {@code at}. */
    private static void mask(byte[] from, int offset, int length, byte[] to, int at) {
        long key = 0;
        for (int i = 0; i < 8; i++) {
            key |= (to[at - 4 + (i & 3)] & 0xFFL) << (8 * i);
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONGS.set(to, at + i, (long) LONGS.get(from, offset + i) ^ key);
        }
        for (; i < length; i++) {
            to[at + i] = (byte) (from[offset + i] ^ to[at - 4 + (i & 3)]);
        }
    }

    /**
     * The next data, text frame or close from the relay, reading into {@code buffer} (a frame larger than it comes
     * in several {@link Incoming.Data}); pings are answered on the way. Only one thread reads.
     *
     * @throws EOFException the connection ended without a close frame
     */
    Incoming read(byte[] buffer) throws IOException {
        while (true) {
            if (payloadLeft > 0) {
                int n = in.read(buffer, 0, (int) Math.min(payloadLeft, buffer.length));
                if (n < 0) {
                    throw new EOFException("the relay's connection ended in a frame");
                }
                payloadLeft -= n;
                return new Incoming.Data(n);
            }
            int first = readByte();
            int second = readByte();
            if ((first & 0x70) != 0) {
                throw new ProtocolException("a frame with reserved bits set");
            }
            if ((second & 0x80) != 0) {
                throw new ProtocolException("a masked frame from the relay");
            }
            long length = payloadLength(second & 0x7F);
            int opcode = first & 0x0F;
            switch (opcode) {
                case OP_BINARY, OP_CONTINUATION -> payloadLeft = length;
                case OP_TEXT -> {
                    in.skipNBytes(length);
                    return new Incoming.Text();
                }
                case OP_CLOSE -> {
                    byte[] payload = control(length);
                    if (payload.length < 2) {
                        return new Incoming.Close(1005, "");
                    }
                    return new Incoming.Close(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF),
                            new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
                }
                case OP_PING -> {
                    byte[] payload = control(length);
                    synchronized (sending) {
                        if (!closeSent) {
                            send(OP_PONG, payload, 0, payload.length);
                        }
                    }
                }
                case OP_PONG -> control(length);
                default -> throw new ProtocolException("a frame with the unknown opcode " + opcode);
            }
        }
    }

    private long payloadLength(int seven) throws IOException {
        if (seven < 126) {
            return seven;
        }
        int bytes = seven == 126 ? 2 : 8;
        long length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | readByte();
        }
        if (length < 0) {
            throw new ProtocolException("a frame longer than 2^63 bytes");
        }
        return length;
    }

    private byte[] control(long length) throws IOException {
        if (length > MAX_CONTROL_PAYLOAD) {
            throw new ProtocolException("a control frame of " + length + " bytes");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("the relay's connection ended in a control frame");
        }
        return payload;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the relay's connection ended");
        }
        return b;
    }

    /** Gives up a {@link #read} that waits longer than {@code timeout} with a {@code SocketTimeoutException}. */
    void answerWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /** Closes the connection at once (after the close handshake, or instead of it). */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket that fails to close leaves nothing more to do.
        }
    }
}
