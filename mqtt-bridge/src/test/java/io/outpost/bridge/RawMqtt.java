package io.outpost.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A hand-written MQTT 3.1.1 client for what well-behaved clients refuse to send: wildcards in a publish topic,
 * invalid UTF-8. Sends raw packets and reports whether the server closed the connection.
 */
public final class RawMqtt implements AutoCloseable {
    private final Socket socket;

    public RawMqtt(int port, String username, String password) throws IOException {
        this(port, username, password, null, null);
    }

    /** Connects with a QoS 1 will message when {@code willTopic} is not null. */
    public RawMqtt(int port, String username, String password, String willTopic, byte[] willPayload)
            throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT".getBytes(StandardCharsets.UTF_8));
        body.write(4);
        body.write(willTopic == null ? 0xC2 : 0xCE); // username, password, clean session [, will flag, will QoS 1]
        body.write(0);
        body.write(60);
        string(body, "raw-client".getBytes(StandardCharsets.UTF_8));
        if (willTopic != null) {
            string(body, willTopic.getBytes(StandardCharsets.UTF_8));
            string(body, willPayload);
        }
        string(body, username.getBytes(StandardCharsets.UTF_8));
        string(body, password.getBytes(StandardCharsets.UTF_8));
        packet(0x10, body.toByteArray());
        byte[] connack = socket.getInputStream().readNBytes(4);
        if (connack.length != 4 || connack[3] != 0) {
            throw new IOException("CONNECT refused");
        }
    }

    /** Sends a QoS 1 PUBLISH whose topic is the given bytes, unchecked. */
    public void publishQos1(byte[] topic, byte[] payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(0);
        body.write(1);
        body.write(payload);
        packet(0x32, body.toByteArray());
    }

    /** True if the server closes the connection within the socket timeout instead of acknowledging. */
    public boolean closedByServer() throws IOException {
        InputStream in = socket.getInputStream();
        try {
            int first = in.read();
            if (first == -1) {
                return true;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void packet(int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body);
        socket.getOutputStream().write(packet.toByteArray());
        socket.getOutputStream().flush();
    }

    private static void string(ByteArrayOutputStream out, byte[] bytes) throws IOException {
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.write(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
