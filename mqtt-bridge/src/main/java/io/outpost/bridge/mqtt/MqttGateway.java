package io.outpost.bridge.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.outpost.bridge.NodeIdentity;
import io.outpost.bridge.ShutdownOrder;
import io.outpost.bridge.auth.DeviceAuthenticator;
import io.outpost.bridge.config.BridgeConfig;
import io.outpost.bridge.delivery.DeliveryTracing;
import io.outpost.bridge.delivery.OutboundListener;
import io.outpost.bridge.delivery.ReceiptPublisher;
import io.outpost.bridge.messaging.BridgeProducer;
import io.outpost.bridge.messaging.PersistentSubscriptions;
import io.outpost.bridge.messaging.SessionEventPublisher;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.SessionEventType;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;

/**
 * The MQTT listener: authenticates each CONNECT against the registry view, keeps one session per device (a newer
 * connection takes over, also from another node), ends sessions of devices the registry disables or deletes, and
 * on shutdown stops accepting, flushes Kafka and closes sessions with "server shutting down".
 * <p>
 * A CONNECT is refused with "server unavailable" unless the node is {@link #serving() serving}: accepting, with the
 * registry view caught up and the outbound listener live, so a session here never misses a message for its device.
 */
@ApplicationScoped
public class MqttGateway {
    private static final Logger LOG = Logger.getLogger(MqttGateway.class);
    @Inject
    Vertx vertx;
    @Inject
    BridgeConfig config;
    @Inject
    DeviceAuthenticator authenticator;
    @Inject
    DeviceDirectory directory;
    @Inject
    SessionRegistry sessions;
    @Inject
    BridgeProducer producer;
    @Inject
    SessionEventPublisher sessionEvents;
    @Inject
    NodeIdentity node;
    @Inject
    MeterRegistry metrics;
    @Inject
    ReceiptPublisher receipts;
    @Inject
    OutboundListener outbound;
    @Inject
    PersistentSubscriptions persistentSubscriptions;
    @Inject
    DeliveryTracing tracing;

    private TopicPolicy policy;
    private final Map<Listener, MqttServer> listeners = new EnumMap<>(Listener.class);
    private volatile boolean accepting;
    private Timer produceLatency;
    private final Map<String, Map<String, Counter>> messagesIn = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent start) {
        policy = new TopicPolicy(config.mqtt().maxTopicLength());
        produceLatency = Timer.builder("outpost.bridge.kafka.produce").description("Time from publish to Kafka ack")
                .publishPercentiles(0.5, 0.99).register(metrics);
        metrics.gauge("outpost.bridge.connections", sessions, SessionRegistry::size);
        directory.onChange(this::registryChanged);
        MqttServerOptions plain = new MqttServerOptions()
                .setHost(config.mqtt().host())
                .setPort(config.mqtt().port())
                .setMaxMessageSize(largestRemainingLength(maxPacketBytes()))
                .setAutoClientId(false)
                .setTimeoutOnConnect((int) config.mqtt().connectTimeout().toSeconds());
        listen(Listener.TCP, plain);
        listen(Listener.WEBSOCKET, new MqttServerOptions(plain).setUseWebSocket(true)
                .setPort(config.mqtt().websocketPort()));
        tlsOptions(plain).ifPresent(tls -> {
            listen(Listener.TLS, new MqttServerOptions(tls).setPort(config.tls().port()));
            listen(Listener.TLS_WEBSOCKET, new MqttServerOptions(tls).setUseWebSocket(true)
                    .setPort(config.tls().websocketPort()));
        });
        accepting = true;
        LOG.infof("MQTT listeners of node %s on %s: %s", node.id(), config.mqtt().host(), listeners.entrySet().stream()
                .map(entry -> entry.getKey().label + " " + entry.getValue().actualPort()).toList());
    }

    /** Ended sessions publish their wills; waiting lets the final flush include them. */
    private void awaitSessionsEnded(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private Optional<MqttServerOptions> tlsOptions(MqttServerOptions plain) {
        Optional<String> certificate = config.tls().certificate();
        Optional<String> key = config.tls().key();
        if (certificate.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (certificate.isEmpty() || key.isEmpty()) {
            throw new IllegalStateException("TLS needs both outpost.bridge.tls.certificate and outpost.bridge.tls.key");
        }
        MqttServerOptions tls = new MqttServerOptions(plain);
        tls.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.get()).setKeyPath(key.get()));
        return Optional.of(tls);
    }

    private void listen(Listener listener, MqttServerOptions options) {
        MqttServer server = MqttServer.create(vertx, options).endpointHandler(this::onConnect);
        server.listen().toCompletionStage().toCompletableFuture().join();
        listeners.put(listener, server);
    }

    /** First of the shutdown steps ({@link ShutdownOrder}); the producer stays open for receipts and STOPPED. */
    void stop(@Observes @Priority(ShutdownOrder.SESSIONS) ShutdownEvent shutdown) {
        accepting = false;
        producer.flush();
        for (DeviceSession session : sessions.all()) {
            session.end(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, "shutdown");
        }
        awaitSessionsEnded(Duration.ofSeconds(5));
        for (MqttServer server : listeners.values()) {
            server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
        producer.flush();
    }

    /** The port of the plain-TCP listener. */
    public int port() {
        return port(Listener.TCP).orElseThrow();
    }

    /** The port a listener is bound to (differs from the configured one when that is 0); empty if it is off. */
    public OptionalInt port(Listener listener) {
        MqttServer server = listeners.get(listener);
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.actualPort());
    }

    private void onConnect(MqttEndpoint endpoint) {
        Protocol protocol = Protocol.of(endpoint.protocolVersion());
        if (!serving()) {
            endpoint.reject(protocol == Protocol.V5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
            return;
        }
        MqttConnectReturnCode malformed = protocol == Protocol.V5 ? ConnectCheck.refusal(endpoint.connectProperties())
                : null;
        if (malformed != null) {
            refused(null, "connect-properties");
            endpoint.reject(malformed);
            return;
        }
        String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String secret = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        String host = endpoint.remoteAddress() == null ? "unknown" : endpoint.remoteAddress().host();
        DeviceAuthenticator.Result result = authenticator.authenticate(username, secret, host);
        if (result.outcome() != DeviceAuthenticator.Outcome.ACCEPTED) {
            counter("outpost.bridge.auth.failures", result.tenant(), result.outcome().name().toLowerCase()).increment();
            endpoint.reject(refusal(result.outcome(), protocol));
            return;
        }
        MqttConnectReturnCode willRefusal = WillCheck.refusal(endpoint.will(), protocol, result.device(), policy);
        if (willRefusal != null) {
            refused(result.tenant(), "will");
            endpoint.reject(willRefusal);
            return;
        }
        counter("outpost.bridge.connects", result.tenant(), protocol.label).increment();
        DeviceSession session = new DeviceSession(endpoint, vertx.getOrCreateContext(), this, result.tenant(),
                result.device(), directory.find(result.tenant() + "/" + result.device())
                        .map(RegistryDevice::createdAt).orElse(null));
        sessions.register(session).ifPresent(previous -> previous.end(MqttDisconnectReasonCode.SESSION_TAKEN_OVER,
                "takeover"));
        session.start();
        sessionEvent(session, SessionEventType.CONNECTED, null);
    }

    /**
     * Accepting, the registry view caught up, the outbound listener and the persistent sessions live: only then may a
     * device connect.
     */
    private boolean serving() {
        return accepting && directory.caughtUp() && outbound.live() && persistentSubscriptions.live();
    }

    private static MqttConnectReturnCode refusal(DeviceAuthenticator.Outcome outcome, Protocol protocol) {
        boolean v5 = protocol == Protocol.V5;
        return switch (outcome) {
            case DISABLED -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
            case THROTTLED -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
            default -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
        };
    }

    /** A disabled or deleted device loses its session within the time the registry view takes to learn of it. */
    private void registryChanged(String key, RegistryDevice device) {
        if (device == null) {
            persistentSubscriptions.forgetKnown(key);
        }
        if (device == null || !device.enabled()) {
            sessions.current(key).ifPresent(session -> session.end(MqttDisconnectReasonCode.NOT_AUTHORIZED,
                    device == null ? "device-deleted" : "device-disabled"));
        }
    }

    /** Another node accepted a newer connection of a device that has a session here: that one wins. */
    public void takenOverElsewhere(String key, String sessionId, Instant at) {
        sessions.current(key)
                .filter(session -> !session.id().equals(sessionId) && session.connectedAt().isBefore(at))
                .ifPresent(session -> session.end(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, "takeover"));
    }

    RateLimiter newRateLimiter() {
        return new RateLimiter(config.mqtt().maxMessagesPerSecond(), config.mqtt().messageBurst(), System::nanoTime);
    }

    /**
     * A session's outbound delivery: a message goes out only while it is for this device (a group message: while the
     * device is a member) and for this incarnation of it (not one stored for a predecessor with the same id).
     */
    OutboundDelivery newDelivery(MqttEndpoint endpoint, Protocol protocol, String tenant, String device,
            Instant incarnation, Runnable overflow) {
        BridgeConfig.Mqtt mqtt = config.mqtt();
        int receiveMaximum = clientLimit(endpoint, MqttPropertyType.RECEIVE_MAXIMUM, 65_535);
        int maxPacketBytes = clientLimit(endpoint, MqttPropertyType.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE);
        return new OutboundDelivery(endpoint, protocol, device, receipts, new OutboundDelivery.Limits(
                Math.min(mqtt.inflightWindow(), receiveMaximum), mqtt.maxWaitingMessages(), mqtt.rememberedMessageIds(),
                maxPacketBytes <= 0 ? Integer.MAX_VALUE : maxPacketBytes),
                message -> message.forIncarnationOf(incarnation)
                        && (message.group() == null || directory.isMember(tenant, message.group(), device)), overflow,
                tracing);
    }

    void ended(DeviceSession session, String reason) {
        sessions.remove(session);
        sessionEvent(session, SessionEventType.DISCONNECTED, reason);
    }

    void sessionEvent(DeviceSession session, SessionEventType type, String reason) {
        sessionEvents.publish(session.tenant(), session.device(), type, session.id(), reason, session.protocol().label,
                session.remoteAddress());
    }

    PersistentSubscriptions persistentSubscriptions() {
        return persistentSubscriptions;
    }

    TopicPolicy policy() {
        return policy;
    }

    BridgeProducer producer() {
        return producer;
    }

    String source() {
        return node.source();
    }

    /** A limit the device announced in its MQTT 5 CONNECT, or {@code absent}. */
    private static int clientLimit(MqttEndpoint endpoint, MqttPropertyType type, int absent) {
        MqttProperties properties = endpoint.connectProperties();
        MqttProperties.MqttProperty<?> property = properties == null ? null : properties.getProperty(type.value());
        return property != null && property.value() instanceof Integer value ? value : absent;
    }

    /**
     * Netty's decoder limits a packet's remaining length; MQTT's Maximum Packet Size counts the fixed header too
     * (one byte and the remaining length's own 1 to 4 bytes).
     */
    static int largestRemainingLength(int maxPacketBytes) {
        int remaining = maxPacketBytes - 2;
        while (remaining > 0 && 1 + PublishPacket.variableByteIntegerLength(remaining) + remaining > maxPacketBytes) {
            remaining--;
        }
        return remaining;
    }

    int maxPacketBytes() {
        return config.mqtt().maxPacketBytes();
    }

    int topicAliasMaximum() {
        return config.mqtt().topicAliasMaximum();
    }

    void refused(String tenant, String what) {
        counter("outpost.bridge.refused", tenant, what).increment();
    }

    /** A session ended because more outbound messages waited for it than it may hold. */
    void outboundOverflowed(String tenant) {
        metrics.counter("outpost.bridge.outbound.overflows", "tenant", tenant).increment();
    }

    /** Looked up once per tenant and topic, not built and registered again for every publish. */
    void messageIn(String tenant, String kafkaTopic) {
        Map<String, Counter> tenantCounters = messagesIn.get(tenant);
        if (tenantCounters == null) {
            tenantCounters = messagesIn.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
        }
        Counter counter = tenantCounters.get(kafkaTopic);
        if (counter == null) {
            counter = tenantCounters.computeIfAbsent(kafkaTopic,
                    topic -> counter("outpost.bridge.messages.in", tenant, topic));
        }
        counter.increment();
    }

    void produced(long nanos) {
        produceLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String tenant, String kind) {
        return metrics.counter(name, "tenant", tenant == null ? "unknown" : tenant, "kind", kind);
    }
}
