package io.outpost.bridge;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written MQTT 5 client that sends exactly the bytes a test asks for (aliases out of range, retained
 * publishes, packets of an exact size, subscription identifiers) and reads what the server answers packet by packet,
 * with every property, so a test can hold the bridge to the specification's wording.
 */
public final class RawMqtt5 implements AutoCloseable {
    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int SUBACK = 9;
    public static final int UNSUBACK = 11;
    public static final int DISCONNECT = 14;
    /** What {@link #read} reports when the server closed the connection. */
    public static final int CLOSED = -1;

    /** MQTT 5 property identifiers used by the tests. */
    public static final int EXPIRY = 0x02, CORRELATION = 0x09, SUBSCRIPTION_ID = 0x0B, ASSIGNED_CLIENT_ID = 0x12,
            RECEIVE_MAXIMUM = 0x21, TOPIC_ALIAS_MAXIMUM = 0x22, TOPIC_ALIAS = 0x23, MAXIMUM_QOS = 0x24,
            RETAIN_AVAILABLE = 0x25, MAXIMUM_PACKET_SIZE = 0x27, WILDCARD_AVAILABLE = 0x28,
            SUBSCRIPTION_IDS_AVAILABLE = 0x29, SHARED_AVAILABLE = 0x2A, SESSION_EXPIRY = 0x11,
            AUTHENTICATION_METHOD = 0x15;

    /** A packet as received: its type, the fixed header's flags, and everything after the remaining length. */
    public record Packet(int type, int flags, byte[] body, int wireSize) {
    }

    /** A PUBLISH taken apart. */
    public record Publish(String topic, int packetId, Map<Integer, List<Object>> properties, byte[] payload) {
    }

    private final Socket socket;
    private final DataInputStream in;
    public final Packet connack;

    /** Connects as {@code device@tenant} with the given client id and CONNECT properties (see {@link Props}). */
    public RawMqtt5(int port, String tenant, String device, String clientId, Props connectProperties)
            throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(5);
        body.write(0xC2); // username, password, clean start
        body.write(0);
        body.write(60);
        body.write(connectProperties.bytes());
        string(body, clientId);
        string(body, device + "@" + tenant);
        string(body, TestDevices.SECRET);
        send(0x10, body.toByteArray());
        connack = read(Duration.ofSeconds(10));
        if (connack == null || connack.type() != CONNACK) {
            throw new IOException("no CONNACK: " + connack);
        }
    }

    public RawMqtt5(int port, String tenant, String device) throws IOException {
        this(port, tenant, device, "raw-" + device, new Props());
    }

    /** The CONNACK's reason code. */
    public int connackReason() {
        return connack.body()[1] & 0xFF;
    }

    public Map<Integer, List<Object>> connackProperties() {
        return properties(connack.body(), 2);
    }

    public void publish(String topic, int qos, boolean retain, int packetId, Props properties, byte[] payload)
            throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId & 0xFF);
        }
        body.write(properties.bytes());
        body.write(payload);
        send(0x30 | qos << 1 | (retain ? 1 : 0), body.toByteArray());
    }

    /**
     * Sends the start of a QoS 1 PUBLISH to {@code topic} whose fixed header announces {@code size} bytes in all:
     * enough for a server to refuse it by size, without the rest of the body, which a server that closes at once
     * would meet with a connection reset.
     */
    public void publishStart(String topic, int size) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(0);
        body.write(1);
        body.write(0); // no properties
        body.write(new byte[16]);
        int remaining = size - 1;
        while (1 + varIntLength(remaining) + remaining > size) {
            remaining--;
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x32);
        writeVarInt(packet, remaining);
        packet.write(body.toByteArray());
        socket.getOutputStream().write(packet.toByteArray());
        socket.getOutputStream().flush();
    }

    /** The size on the wire of the PUBLISH {@link #publish} would send. */
    public static int publishSize(String topic, int qos, Props properties, int payloadLength) {
        int remaining = 2 + topic.getBytes(StandardCharsets.UTF_8).length + (qos > 0 ? 2 : 0)
                + properties.bytes().length + payloadLength;
        return 1 + varIntLength(remaining) + remaining;
    }

    public void subscribe(int packetId, Props properties, String... filters) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        body.write(properties.bytes());
        for (String filter : filters) {
            string(body, filter);
            body.write(1); // QoS 1
        }
        send(0x82, body.toByteArray());
    }

    public void unsubscribe(int packetId, String... filters) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        body.write(0);
        for (String filter : filters) {
            string(body, filter);
        }
        send(0xA2, body.toByteArray());
    }

    public void puback(int packetId) throws IOException {
        send(0x40, new byte[] { (byte) (packetId >> 8), (byte) packetId });
    }

    /** The next packet, a packet of type {@link #CLOSED} if the server closed the connection, null on timeout. */
    public Packet read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            int header = in.read();
            if (header < 0) {
                return new Packet(CLOSED, 0, new byte[0], 0);
            }
            int length = 0;
            int multiplier = 1;
            int lengthBytes = 0;
            int digit;
            do {
                digit = in.readUnsignedByte();
                length += (digit & 0x7F) * multiplier;
                multiplier *= 128;
                lengthBytes++;
            } while ((digit & 0x80) != 0);
            byte[] body = new byte[length];
            in.readFully(body);
            return new Packet(header >> 4, header & 0x0F, body, 1 + lengthBytes + length);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (EOFException e) {
            return new Packet(CLOSED, 0, new byte[0], 0);
        } catch (IOException e) {
            if (socket.isClosed()) {
                throw e;
            }
            return new Packet(CLOSED, 0, new byte[0], 0);
        }
    }

    /** The next packet of the given type, skipping others; fails if none comes within the timeout. */
    public Packet await(int type, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Packet packet = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (packet != null && (packet.type() == type || packet.type() == CLOSED)) {
                return packet;
            }
        }
        throw new AssertionError("no packet of type " + type + " within " + timeout);
    }

    public static Publish publish(Packet packet) {
        byte[] body = packet.body();
        int topicLength = (body[0] & 0xFF) << 8 | body[1] & 0xFF;
        String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
        int at = 2 + topicLength;
        int packetId = 0;
        if ((packet.flags() >> 1 & 3) > 0) {
            packetId = (body[at] & 0xFF) << 8 | body[at + 1] & 0xFF;
            at += 2;
        }
        int[] length = varInt(body, at);
        Map<Integer, List<Object>> properties = properties(body, at);
        int payloadAt = at + length[1] + length[0];
        byte[] payload = java.util.Arrays.copyOfRange(body, payloadAt, body.length);
        return new Publish(topic, packetId, properties, payload);
    }

    /** The reason codes of a SUBACK or UNSUBACK. */
    public static List<Integer> reasonCodes(Packet packet) {
        int[] length = varInt(packet.body(), 2);
        List<Integer> codes = new ArrayList<>();
        for (int i = 2 + length[1] + length[0]; i < packet.body().length; i++) {
            codes.add(packet.body()[i] & 0xFF);
        }
        return codes;
    }

    /** The reason code of a PUBACK or DISCONNECT (0 when the packet omits it). */
    public static int reasonCode(Packet packet) {
        int at = packet.type() == PUBACK ? 2 : 0;
        return packet.body().length > at ? packet.body()[at] & 0xFF : 0;
    }

    /** Properties at {@code at} (their length first): identifier to values, in order. */
    static Map<Integer, List<Object>> properties(byte[] body, int at) {
        int[] length = varInt(body, at);
        int i = at + length[1];
        int end = i + length[0];
        Map<Integer, List<Object>> properties = new LinkedHashMap<>();
        while (i < end) {
            int id = body[i++] & 0xFF;
            Object value;
            switch (id) {
                case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> value = body[i++] & 0xFF;
                case 0x13, 0x21, 0x22, 0x23 -> {
                    value = (body[i] & 0xFF) << 8 | body[i + 1] & 0xFF;
                    i += 2;
                }
                case 0x02, 0x11, 0x18, 0x27 -> {
                    value = (body[i] & 0xFF) << 24 | (body[i + 1] & 0xFF) << 16 | (body[i + 2] & 0xFF) << 8
                            | body[i + 3] & 0xFF;
                    i += 4;
                }
                case 0x0B -> {
                    int[] v = varInt(body, i);
                    value = v[0];
                    i += v[1];
                }
                case 0x26 -> {
                    int k = (body[i] & 0xFF) << 8 | body[i + 1] & 0xFF;
                    String name = new String(body, i + 2, k, StandardCharsets.UTF_8);
                    i += 2 + k;
                    int v = (body[i] & 0xFF) << 8 | body[i + 1] & 0xFF;
                    value = name + "=" + new String(body, i + 2, v, StandardCharsets.UTF_8);
                    i += 2 + v;
                }
                default -> {
                    int n = (body[i] & 0xFF) << 8 | body[i + 1] & 0xFF;
                    value = new String(body, i + 2, n, StandardCharsets.UTF_8);
                    i += 2 + n;
                }
            }
            properties.computeIfAbsent(id, k -> new ArrayList<>()).add(value);
        }
        return properties;
    }

    /** {value, bytes it took}. */
    private static int[] varInt(byte[] body, int at) {
        int value = 0;
        int multiplier = 1;
        int i = at;
        int digit;
        do {
            digit = body[i++] & 0xFF;
            value += (digit & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((digit & 0x80) != 0);
        return new int[] { value, i - at };
    }

    private static int varIntLength(int value) {
        int length = 1;
        while (value >= 128) {
            value /= 128;
            length++;
        }
        return length;
    }

    private void send(int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        writeVarInt(packet, body.length);
        packet.write(body);
        socket.getOutputStream().write(packet.toByteArray());
        socket.getOutputStream().flush();
    }

    private static void writeVarInt(ByteArrayOutputStream out, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    private static void string(ByteArrayOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.write(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** MQTT 5 properties to send, written with their length in front. */
    public static final class Props {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Props twoBytes(int id, int value) {
            out.write(id);
            out.write(value >> 8);
            out.write(value & 0xFF);
            return this;
        }

        public Props fourBytes(int id, int value) {
            out.write(id);
            out.write(value >> 24);
            out.write(value >> 16 & 0xFF);
            out.write(value >> 8 & 0xFF);
            out.write(value & 0xFF);
            return this;
        }

        public Props string(int id, String value) {
            out.write(id);
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >> 8);
            out.write(bytes.length & 0xFF);
            out.writeBytes(bytes);
            return this;
        }

        public Props varInt(int id, int value) {
            out.write(id);
            writeVarInt(out, value);
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            writeVarInt(all, out.size());
            all.writeBytes(out.toByteArray());
            return all.toByteArray();
        }
    }
}
