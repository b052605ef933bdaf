package io.outpost.device;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;

/**
 * One device's connection to Outpost (MQTT 5 over TCP, TLS, WebSocket or secure WebSocket): telemetry, commands and
 * their results, notifications, inquiries. Connection losses are repaired by reconnecting with exponential backoff and
 * jitter, to the next endpoint in turn, and re-subscribing; a QoS 1 publish whose future completed was acknowledged by
 * the platform after Kafka had it, and one in flight during a loss is sent again after the reconnect. Messages the
 * platform sends again (delivery is at least once) are dropped by id. Remote access (tunnels to local ports) is off
 * unless the builder allows it. Build with {@link #builder()}.
 */
public final class OutpostDevice implements AutoCloseable {
    private static final String MESSAGE_ID_PROPERTY = "outpost-message-id";
    /** MQTT 5 user property: the seconds a continuing inquiry should last (1 to 9 digits, as the bridge reads it). */
    private static final String LIFETIME_PROPERTY = "lifetime";

    private final Settings settings;
    private final DeviceTopics topics;
    private final Mqtt5AsyncClient client;
    private final RecentIds seen;
    private final ExecutorService commandRunner;
    private final NotificationDispatcher notifications;
    private final Inquiries inquiries;
    /** Null unless remote access is allowed. */
    private final RemoteAccessAgent remoteAccess;
    private final AtomicInteger endpointIndex = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();
    private volatile boolean closed;

    private OutpostDevice(Settings settings) {
        this.settings = settings;
        this.topics = new DeviceTopics(settings.device);
        this.seen = new RecentIds(settings.duplicateWindow);
        this.commandRunner = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "outpost-commands-" + settings.device);
            thread.setDaemon(true);
            return thread;
        });
        this.notifications = new NotificationDispatcher(settings.device, settings.notificationRoutes);
        this.inquiries = new Inquiries(settings.device, seen, requestId -> publish(topics.inquiryCancel(requestId),
                new byte[0], null, MqttQos.AT_LEAST_ONCE, Mqtt5UserProperties.of()));
        this.remoteAccess = settings.remoteAccessPorts.isEmpty() ? null
                : new RemoteAccessAgent(settings.device, settings.remoteAccessPorts, settings.remoteAccessKillSwitch,
                        remoteAccessSsl(settings), Clock.systemUTC());
        this.client = Mqtt5Client.builder()
                .identifier(settings.device + "@" + settings.tenant)
                .transportConfig(transport(0))
                .simpleAuth().username(settings.device + "@" + settings.tenant)
                .password(settings.secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .addConnectedListener(context -> connects.incrementAndGet())
                .addDisconnectedListener(context -> reconnect((Mqtt5ClientDisconnectedContext) context))
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects and subscribes to what this device handles (commands if it has a command handler,
     * {@code notifications/#} if it has a notification handler, {@code remote-access/tunnels/+} if remote access is
     * allowed, inquiry answers always). Fails if the first connection is refused; later losses are repaired in the
     * background.
     */
    public CompletableFuture<Void> connect() {
        return client.connectWith().keepAlive((int) settings.keepAlive.toSeconds())
                .restrictions().receiveMaximum(settings.receiveMaximum).maximumPacketSize(settings.maximumPacketSize)
                .applyRestrictions().send()
                .thenCompose(connAck -> subscribeTopics());
    }

    /** Telemetry on {@code devices/{device}/telemetry[/{stream}]}; the future completes when the platform has it. */
    public CompletableFuture<Void> sendTelemetry(String stream, byte[] payload, String contentType, boolean atLeastOnce) {
        return publish(topics.telemetry(stream), payload, contentType,
                atLeastOnce ? MqttQos.AT_LEAST_ONCE : MqttQos.AT_MOST_ONCE);
    }

    /** JSON telemetry at QoS 1. */
    public CompletableFuture<Void> sendTelemetry(String stream, String json) {
        return sendTelemetry(stream, json.getBytes(StandardCharsets.UTF_8), "application/json", true);
    }

    /** {@link #ask(String, byte[], String)} with a JSON payload. */
    public CompletableFuture<Message> ask(String name, String json) {
        return ask(name, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /**
     * Asks once on {@code inquiries/request/{name}/{requestId}}. The future completes with the answer (its
     * {@link Message#last()} is true), or exceptionally with {@link InquiryFailedException} when the platform answers
     * {@code error} (no handler, the handler failed or timed out, the device asked too often) and with
     * {@link DeviceException} when the platform refuses the request or the device is closed first. The platform
     * answers every request it gets (a handler that times out is an error); to bound the wait, complete the future
     * yourself (e.g. {@code orTimeout}), which forgets the request.
     *
     * @throws IllegalArgumentException if {@code name} is not one topic level
     */
    public CompletableFuture<Message> ask(String name, byte[] payload, String contentType) {
        String requestId = UUID.randomUUID().toString();
        String topic = topics.inquiryRequest(name, requestId);
        Inquiry inquiry = inquiries.open(name, requestId, null);
        publish(topic, payload, contentType, MqttQos.AT_LEAST_ONCE, Mqtt5UserProperties.of())
                .whenComplete((sent, error) -> {
                    if (error != null) {
                        inquiries.refused(inquiry, error);
                    }
                });
        return inquiry.ended();
    }

    /** {@link #subscribe(String, byte[], String, Duration, Consumer)} with a JSON payload and the handler's lifetime. */
    public Inquiry subscribe(String name, String json, Consumer<Message> answers) {
        return subscribe(name, json.getBytes(StandardCharsets.UTF_8), "application/json", null, answers);
    }

    /** {@link #subscribe(String, byte[], String, Duration, Consumer)} with a JSON payload. */
    public Inquiry subscribe(String name, String json, Duration lifetime, Consumer<Message> answers) {
        return subscribe(name, json.getBytes(StandardCharsets.UTF_8), "application/json", lifetime, answers);
    }

    /** {@link #subscribe(String, byte[], String, Duration, Consumer)} for as long as the platform's handler decides. */
    public Inquiry subscribe(String name, byte[] payload, String contentType, Consumer<Message> answers) {
        return subscribe(name, payload, contentType, null, answers);
    }

    /**
     * Asks on {@code inquiries/subscribe/{name}/{requestId}} and hands every answer to {@code answers}, one at a time
     * in arrival order on the device's inquiry thread, copies dropped, until the last answer (handed over too, with
     * {@link Message#last()} true), an error answer, or {@link Inquiry#cancel()}; {@link Inquiry#ended()} says which.
     *
     * @param lifetime how long the platform should keep answering (MQTT 5 user property {@code lifetime}, whole
     *                 seconds rounded up), or null for the handler's default
     * @throws IllegalArgumentException if {@code name} is not one topic level, or {@code lifetime} is not positive or
     *                                  longer than 999,999,999 seconds
     */
    public Inquiry subscribe(String name, byte[] payload, String contentType, Duration lifetime,
            Consumer<Message> answers) {
        Objects.requireNonNull(answers, "answers");
        String requestId = UUID.randomUUID().toString();
        String topic = topics.inquirySubscribe(name, requestId);
        Mqtt5UserProperties properties = lifetime == null ? Mqtt5UserProperties.of()
                : Mqtt5UserProperties.of(Mqtt5UserProperty.of(LIFETIME_PROPERTY, Inquiries.lifetimeSeconds(lifetime)));
        Inquiry inquiry = inquiries.open(name, requestId, answers);
        publish(topic, payload, contentType, MqttQos.AT_LEAST_ONCE, properties).whenComplete((sent, error) -> {
            if (error != null) {
                inquiries.refused(inquiry, error);
            }
        });
        return inquiry;
    }

    /**
     * The local remote-access kill switch, at runtime: on, every tunnel is refused (closed with 4403, "remote access
     * is switched off on the device") whatever the platform's policy says, and the open tunnels are closed the same
     * way; off, the ports allowed by {@link Builder#allowRemoteAccess(int...)} decide again. Without
     * {@code allowRemoteAccess} the device takes no tunnels either way.
     */
    public void setRemoteAccessKillSwitch(boolean on) {
        if (remoteAccess != null) {
            remoteAccess.killSwitch(on);
        }
    }

    /** True if the kill switch is on, or remote access was not allowed at all. */
    public boolean remoteAccessKillSwitch() {
        return remoteAccess == null || remoteAccess.killSwitch();
    }

    /** How many times this device has connected, the first time included. */
    public int connections() {
        return connects.get();
    }

    /** Closes the open tunnels (1000), disconnects normally (no will is published) and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        if (remoteAccess != null) {
            remoteAccess.close();
        }
        if (client.getState().isConnectedOrReconnect()) {
            client.disconnect().exceptionally(error -> null).join();
        }
        commandRunner.shutdown();
        notifications.close();
        inquiries.close();
    }

    private CompletableFuture<Void> subscribeTopics() {
        List<Mqtt5Subscription> subscriptions = new ArrayList<>();
        subscriptions.add(subscription(topics.inquiryResponses()));
        if (settings.commandHandler != null) {
            subscriptions.add(subscription(topics.commandRequests()));
        }
        if (!notifications.isEmpty()) {
            subscriptions.add(subscription(topics.notifications()));
        }
        if (remoteAccess != null) {
            subscriptions.add(subscription(topics.remoteAccessTunnels()));
        }
        return client.subscribe(Mqtt5Subscribe.builder().addSubscriptions(subscriptions).build()).thenAccept(subAck -> {
            if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                throw new DeviceException("subscription refused: " + subAck.getReasonCodes());
            }
        });
    }

    private static Mqtt5Subscription subscription(String filter) {
        return Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build();
    }

    private CompletableFuture<Void> publish(String topic, byte[] payload, String contentType, MqttQos qos) {
        return publish(topic, payload, contentType, qos, Mqtt5UserProperties.of());
    }

    private CompletableFuture<Void> publish(String topic, byte[] payload, String contentType, MqttQos qos,
            Mqtt5UserProperties properties) {
        var publish = client.publishWith().topic(topic).qos(qos).payload(payload).userProperties(properties);
        if (contentType != null) {
            publish.contentType(contentType);
        }
        return publish.send().thenAccept(OutpostDevice::requireAccepted);
    }

    private static void requireAccepted(Mqtt5PublishResult result) {
        Optional<Throwable> error = result.getError();
        if (error.isPresent()) {
            throw new DeviceException("publish to " + result.getPublish().getTopic() + " failed", error.get());
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1 && qos1.getPubAck().getReasonCode().isError()) {
            throw new DeviceException("publish to " + result.getPublish().getTopic() + " refused: "
                    + qos1.getPubAck().getReasonCode()
                    + qos1.getPubAck().getReasonString().map(reason -> " (" + reason + ")").orElse(""));
        }
    }

    private void onPublish(Mqtt5Publish publish) {
        String relative = topics.relative(publish.getTopic().toString());
        if (relative == null) {
            return;
        }
        String[] levels = relative.split("/");
        String contentType = publish.getContentType().map(Object::toString).orElse(null);
        byte[] payload = publish.getPayloadAsBytes();
        if (levels[0].equals("inquiries")) {
            inquiries.receive(relative, messageId(publish), payload, contentType);
            return;
        }
        if (levels.length >= 4 && levels[0].equals("commands") && levels[1].equals("request")) {
            Command command = new Command(levels[2], levels[3], payload, contentType);
            if (seen.firstTime(command.id())) {
                commandRunner.execute(() -> run(command));
            }
            return;
        }
        String id = messageId(publish);
        if (id != null && !seen.firstTime(id)) {
            return;
        }
        if (remoteAccess != null && DeviceTopics.isTunnelRequest(relative)) {
            remoteAccess.receive(payload);
            return;
        }
        if (levels.length >= 2 && levels[0].equals("notifications")) {
            OptionalLong expiry = publish.getMessageExpiryInterval();
            notifications.dispatch(new Notification(id, relative.substring("notifications/".length()), payload,
                    contentType, expiry.isPresent() ? Duration.ofSeconds(expiry.getAsLong()) : null, Instant.now()));
        }
    }

    private void run(Command command) {
        CommandResult result;
        try {
            result = settings.commandHandler.handle(command);
        } catch (Exception e) {
            String reason = String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "\\\"");
            result = CommandResult.failed("{\"error\":\"" + reason + "\"}");
        }
        publish(topics.commandResponse(command.id(), result.status()), result.payload(), result.contentType(),
                MqttQos.AT_LEAST_ONCE);
    }

    private static String messageId(Mqtt5Publish publish) {
        for (Mqtt5UserProperty property : publish.getUserProperties().asList()) {
            if (property.getName().toString().equals(MESSAGE_ID_PROPERTY)) {
                return property.getValue().toString();
            }
        }
        return null;
    }

    private void reconnect(Mqtt5ClientDisconnectedContext context) {
        if (closed || context.getSource() == MqttDisconnectSource.USER || refusedForGood(context.getCause())
                || connects.get() == 0) {
            return;
        }
        int attempt = context.getReconnector().getAttempts();
        context.getReconnector().reconnect(true).resubscribeIfSessionExpired(true).republishIfSessionExpired(true)
                .transportConfig(transport(endpointIndex.incrementAndGet()))
                .delay(settings.backoff.delay(attempt).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Wrong credentials or a disabled device: retrying cannot help. */
    private static boolean refusedForGood(Throwable cause) {
        if (cause instanceof Mqtt5ConnAckException refused) {
            Mqtt5ConnAckReasonCode code = refused.getMqttMessage().getReasonCode();
            return code == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
                    || code == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED || code == Mqtt5ConnAckReasonCode.BANNED;
        }
        return false;
    }

    private MqttClientTransportConfig transport(int index) {
        Endpoint endpoint = settings.endpoints.get(Math.floorMod(index, settings.endpoints.size()));
        var transport = MqttClientTransportConfig.builder().serverHost(endpoint.host()).serverPort(endpoint.port());
        if (settings.trust != null) {
            transport.sslConfig(MqttClientSslConfig.builder().trustManagerFactory(settings.trust).build());
        } else if (settings.tls) {
            transport.sslWithDefaultConfig();
        }
        if (settings.webSocketPath != null) {
            transport.webSocketConfig(MqttWebSocketConfig.builder().serverPath(settings.webSocketPath).build());
        }
        return transport.build();
    }

    /** Trust for a {@code wss://} relay: its own CA, else the CA given to {@code tls(path)}, else the JVM's. */
    private static SSLContext remoteAccessSsl(Settings settings) {
        TrustManagerFactory trust = settings.remoteAccessTrust != null ? settings.remoteAccessTrust : settings.trust;
        return trust == null ? null : TrustedCertificates.sslContext(trust);
    }

    /** A bridge address; devices get one or more (a load balancer, or the nodes themselves). */
    public record Endpoint(String host, int port) {
    }

    private static final class Settings {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private String tenant;
        private String device;
        private String secret;
        private boolean tls;
        private TrustManagerFactory trust;
        private String webSocketPath;
        private Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(2));
        private Duration keepAlive = Duration.ofSeconds(60);
        private int receiveMaximum = 10;
        private int maximumPacketSize = 256 * 1024;
        private int duplicateWindow = 10_000;
        private CommandHandler commandHandler;
        private final List<NotificationDispatcher.Route> notificationRoutes = new ArrayList<>();
        /** Empty: remote access is off. */
        private final Set<Integer> remoteAccessPorts = new LinkedHashSet<>();
        private boolean remoteAccessKillSwitch;
        private TrustManagerFactory remoteAccessTrust;
    }

    /** Settings for one device; {@code endpoint}, {@code tenant}, {@code device} and {@code secret} are required. */
    public static final class Builder {
        private final Settings settings = new Settings();

        private Builder() {
        }

        /** Adds a bridge address; after a loss the device tries the next one in turn. */
        public Builder endpoint(String host, int port) {
            settings.endpoints.add(new Endpoint(host, port));
            return this;
        }

        /** The device's identity: MQTT username {@code {device}@{tenant}} and the secret the registry generated. */
        public Builder credentials(String tenant, String device, String secret) {
            settings.tenant = tenant;
            settings.device = device;
            settings.secret = secret;
            return this;
        }

        /** TLS, trusting the JVM's default CAs. */
        public Builder tls() {
            settings.tls = true;
            return this;
        }

        /** TLS, trusting the CA certificates in a PEM file (e.g. {@code .outpost/tls/ca.crt} locally). */
        public Builder tls(Path caCertificates) {
            settings.tls = true;
            settings.trust = TrustedCertificates.fromPem(caCertificates);
            return this;
        }

        /** MQTT over WebSocket at this path (the bridge serves {@code /mqtt}), for networks that only pass HTTP(S). */
        public Builder webSocket(String path) {
            settings.webSocketPath = path;
            return this;
        }

        /** Reconnect delays: from {@code initial}, doubling up to {@code max}, each with random jitter. */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            settings.backoff = new Backoff(initial, max);
            return this;
        }

        public Builder keepAlive(Duration keepAlive) {
            settings.keepAlive = keepAlive;
            return this;
        }

        /**
         * Messages the platform may send this device before it acknowledges them (MQTT 5 Receive Maximum, default 10):
         * the bridge never has more than this many in flight to it.
         */
        public Builder receiveMaximum(int messages) {
            if (messages < 1 || messages > 65_535) {
                throw new IllegalArgumentException("receiveMaximum must be 1..65535, was " + messages);
            }
            settings.receiveMaximum = messages;
            return this;
        }

        /**
         * The largest MQTT packet this device takes, in bytes (MQTT 5 Maximum Packet Size, default 256 KiB): the
         * bridge never sends a larger one; a command that does not fit ends FAILED, "larger than the device accepts".
         */
        public Builder maximumPacketSize(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maximumPacketSize must be at least 64 bytes, was " + bytes);
            }
            settings.maximumPacketSize = bytes;
            return this;
        }

        /** How many recent message ids are remembered to drop redelivered copies (default 10,000). */
        public Builder duplicateWindow(int ids) {
            settings.duplicateWindow = ids;
            return this;
        }

        /** Runs commands, one at a time in arrival order; without a handler the device does not take commands. */
        public Builder onCommand(CommandHandler handler) {
            settings.commandHandler = handler;
            return this;
        }

        /**
         * Handles the notifications whose topic below {@code notifications/} matches {@code filter}, an MQTT topic
         * filter such as {@code alerts/#}, {@code +/alert} or {@code #}; may be called for several filters, and a
         * notification goes to every handler whose filter matches, in the order they were added. Handlers run one
         * notification at a time in arrival order on the device's notification thread.
         * <p>
         * With any handler the device subscribes to all of {@code notifications/#}: a notification no filter matches
         * is acknowledged and dropped. (Subscribing to the filters alone would leave such notifications queued on the
         * bridge node, whose bounded queue ends the session when it overflows.) Without a handler the device does not
         * subscribe, so notifications wait in its mailbox.
         *
         * @throws IllegalArgumentException if the filter is malformed or can never match a topic of one to three
         *                                  levels
         */
        public Builder onNotification(String filter, NotificationHandler handler) {
            settings.notificationRoutes.add(new NotificationDispatcher.Route(TopicFilter.of(filter), handler));
            return this;
        }

        /**
         * {@code onNotification("#", ...)} with each notification as a {@link Message}, whose topic starts with
         * {@code notifications/}.
         *
         * @deprecated use {@link #onNotification(String, NotificationHandler)}, which also says when the notification
         *             expires
         */
        @Deprecated
        public Builder onNotification(Consumer<Message> handler) {
            return onNotification("#", notification -> handler.accept(new Message(notification.id(),
                    "notifications/" + notification.topic(), notification.payload(), notification.contentType())));
        }

        /**
         * Allows remote access to these local ports (opt-in; off by default): the device subscribes to
         * {@code remote-access/tunnels/+}, and for each tunnel the platform asks for (an operator opened it, the
         * tenant's policy allows it) connects to {@code 127.0.0.1:{port}} and pipes that connection through an
         * outbound WebSocket to the platform's relay. A request for another port is refused (4403, "port N is not
         * allowed on the device"), one for a port where nothing answers too (4502); a request that arrives after its
         * token expired is ignored. Tunnels run on the device's own daemon threads and are closed by
         * {@link OutpostDevice#close()}. May be called again to add ports.
         *
         * @throws IllegalArgumentException if no port is given or one is not 1-65535
         */
        public Builder allowRemoteAccess(int... ports) {
            if (ports.length == 0) {
                throw new IllegalArgumentException("allowRemoteAccess needs at least one port");
            }
            for (int port : ports) {
                if (port < 1 || port > 65_535) {
                    throw new IllegalArgumentException("a port must be 1-65535, was " + port);
                }
            }
            for (int port : ports) {
                settings.remoteAccessPorts.add(port);
            }
            return this;
        }

        /**
         * The local kill switch's state at start (default off): on, every tunnel is refused (4403, "remote access is
         * switched off on the device") whatever the platform says. Changed at runtime with
         * {@link OutpostDevice#setRemoteAccessKillSwitch(boolean)}.
         */
        public Builder remoteAccessKillSwitch(boolean on) {
            settings.remoteAccessKillSwitch = on;
            return this;
        }

        /**
         * Trusts the CA certificates in a PEM file for a {@code wss://} relay; without it the relay is trusted with
         * the CA given to {@link #tls(Path)}, or else the JVM's default CAs.
         */
        public Builder remoteAccessTls(Path caCertificates) {
            settings.remoteAccessTrust = TrustedCertificates.fromPem(caCertificates);
            return this;
        }

        public OutpostDevice build() {
            if (settings.endpoints.isEmpty() || settings.tenant == null || settings.device == null
                    || settings.secret == null) {
                throw new IllegalStateException("endpoint and credentials are required");
            }
            return new OutpostDevice(settings);
        }
    }
}
