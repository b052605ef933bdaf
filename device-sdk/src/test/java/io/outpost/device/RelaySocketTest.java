package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RelaySocket} against a server that speaks raw RFC 6455 bytes, so each rule is checked on the wire: the
 * upgrade and its refusal, client frames masked, server frames split and interleaved with pings, the close.
 */
class RelaySocketTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final ServerSocket server;

    RelaySocketTest() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void theUpgradeCarriesTheTokenAndFramesAreMaskedBothWaysRight() throws Exception {
        byte[] payload = new byte[70_001];
        new Random(3).nextBytes(payload);
        CompletableFuture<byte[]> unmasked = serve((in, out, request) -> {
            assertTrue(request.contains("Authorization: Bearer t0ken\r\n"), request);
            assertTrue(request.startsWith("GET /relay/v1/tunnels/t1/device HTTP/1.1\r\n"), request);
            accept(out, request);
            return readClientFrame(in);
        });
        try (RelaySocket relay = connect()) {
            relay.sendBinary(payload, 0, payload.length);
            assertArrayEquals(payload, unmasked.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFrameInPartsWithAPingBetweenIsReadAsDataAndThePingAnswered() throws Exception {
        CompletableFuture<byte[]> pong = serve((in, out, request) -> {
            accept(out, request);
            out.write(new byte[] {0x02, 3, 'a', 'b', 'c'}); // binary, not final
            out.write(new byte[] {(byte) 0x89, 2, 'h', 'i'}); // ping
            out.write(new byte[] {(byte) 0x80, 2, 'd', 'e'}); // continuation, final
            out.write(new byte[] {(byte) 0x88, 7, 0x0F, (byte) 0xA0, 'b', 'y', 'e', '!', '!'}); // close 4000
            return readClientFrame(in);
        });
        try (RelaySocket relay = connect()) {
            byte[] buffer = new byte[2];
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            RelaySocket.Incoming incoming;
            while ((incoming = relay.read(buffer)) instanceof RelaySocket.Incoming.Data part) {
                data.write(buffer, 0, part.length());
            }
            assertEquals("abcde", data.toString(StandardCharsets.US_ASCII));
            assertEquals(new RelaySocket.Incoming.Close(4000, "bye!!"), incoming);
            assertEquals("hi", new String(pong.get(5, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aRefusedUpgradeTellsTheStatusAndTheProblem() throws Exception {
        String problem = "{\"status\":401,\"detail\":\"the token is not valid\"}";
        serve((in, out, request) -> {
            out.write(("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/problem+json\r\nContent-Length: "
                    + problem.length() + "\r\n\r\n" + problem).getBytes(StandardCharsets.US_ASCII));
            return null;
        });
        RelayHandshakeException refused = assertThrows(RelayHandshakeException.class, this::connect);
        assertEquals(401, refused.statusCode());
        assertEquals(problem, refused.body());
    }

    @Test
    void anUpgradeThatDoesNotAnswerTheKeyIsRefused() throws Exception {
        serve((in, out, request) -> {
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: d3Jvbmc=\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return null;
        });
        assertThrows(ProtocolException.class, this::connect);
    }

    @Test
    void aCloseReasonIsCutAtACharacterBoundaryWithin123Bytes() throws Exception {
        CompletableFuture<byte[]> close = serve((in, out, request) -> {
            accept(out, request);
            return readClientFrame(in);
        });
        try (RelaySocket relay = connect()) {
            relay.sendClose(4403, "ü".repeat(100));
            byte[] payload = close.get(5, TimeUnit.SECONDS);
            assertEquals(2 + 122, payload.length);
            assertEquals(4403, ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
            assertEquals("ü".repeat(61), new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
            assertThrows(IOException.class, () -> relay.sendBinary(new byte[1], 0, 1), "nothing after the close");
        }
    }

    @Test
    void aMaskedFrameFromTheServerBreaksTheProtocol() throws Exception {
        serve((in, out, request) -> {
            accept(out, request);
            out.write(new byte[] {(byte) 0x82, (byte) 0x81, 1, 2, 3, 4, 5});
            return null;
        });
        try (RelaySocket relay = connect()) {
            assertInstanceOf(ProtocolException.class, assertThrows(IOException.class,
                    () -> relay.read(new byte[16])));
        }
    }

    private RelaySocket connect() throws IOException, java.security.NoSuchAlgorithmException {
        return RelaySocket.connect(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/relay/v1/tunnels/t1/device"),
                "t0ken", SSLContext.getDefault(), TIMEOUT);
    }

    private interface Server {
        byte[] serve(InputStream in, OutputStream out, String request) throws Exception;
    }

    private CompletableFuture<byte[]> serve(Server server) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = this.server.accept()) {
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                InputStream in = socket.getInputStream();
                byte[] result = server.serve(in, socket.getOutputStream(), readRequest(in));
                socket.getOutputStream().flush();
                if (result == null) {
                    in.readAllBytes();
                }
                return result;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String readRequest(InputStream in) throws IOException {
        StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request cut short");
            }
            request.append((char) b);
        }
        return request.toString();
    }

    private static void accept(OutputStream out, String request) throws Exception {
        Matcher key = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n").matcher(request);
        assertTrue(key.find(), request);
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                (key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One frame from the client: must be final and masked; its payload unmasked. */
    private static byte[] readClientFrame(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        assertEquals(0x80, first & 0x80, "final");
        assertEquals(0x80, second & 0x80, "masked");
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes((int) length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return payload;
    }
}
