package io.outpost.bridge.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The MQTT bridge's own settings, under {@code outpost.bridge}. */
@ConfigMapping(prefix = "outpost.bridge")
public interface BridgeConfig {

    /** This node's id in session events and receipts; default: a random id per process start. */
    Optional<String> nodeId();

    /**
     * How often this node publishes ALIVE on {@code outpost.bridge-nodes.v1} (besides STARTED at startup and STOPPED
     * on clean shutdown). The registry takes a node that sent nothing for three intervals for dead and ends its
     * sessions, so a shorter interval finds crashed nodes sooner at the cost of one small record per interval.
     */
    @WithDefault("5s")
    Duration heartbeatInterval();

    Mqtt mqtt();

    Receipts receipts();

    Outbound outbound();

    Auth auth();

    Tls tls();

    interface Mqtt {
        /** Interface the MQTT listener binds to. */
        @WithDefault("0.0.0.0")
        String host();

        /** Plain-TCP MQTT port; 0 picks a free one (tests). */
        @WithDefault("1883")
        int port();

        /** MQTT over WebSocket (path {@code /mqtt}) for devices behind proxies that only let HTTP(S) out; 0 picks a free one. */
        @WithDefault("9001")
        int websocketPort();

        /**
         * Largest MQTT packet a device may send, in bytes, fixed header included: announced in the MQTT 5 CONNACK
         * (Maximum Packet Size) and enforced for every protocol; a larger packet ends the connection (MQTT 5:
         * DISCONNECT 0x95). A payload of up to this size minus its topic and properties fits.
         */
        @WithDefault("327680")
        int maxPacketBytes();

        /**
         * Topic aliases an MQTT 5 device may set (Topic Alias Maximum in CONNACK); 0 announces none. Each costs one
         * topic name per session.
         */
        @WithDefault("16")
        int topicAliasMaximum();

        /** Longest accepted topic name or filter, in characters. */
        @WithDefault("256")
        int maxTopicLength();

        /**
         * Publishes one device may send per second, on average; above it MQTT 5 QoS 1 publishes get PUBACK 0x97
         * (quota exceeded) and are not forwarded, QoS 0 ones are dropped and counted, and MQTT 3.1.1 connections,
         * which cannot refuse a single publish, are closed.
         */
        @WithDefault("100")
        int maxMessagesPerSecond();

        /** Publishes a device may send at once after being quiet (the bucket size). */
        @WithDefault("200")
        int messageBurst();

        /**
         * Outbound messages sent to one device and not yet acknowledged, at most; an MQTT 5 device that announces a
         * smaller Receive Maximum gets that.
         */
        @WithDefault("10")
        int inflightWindow();

        /** Outbound messages held for one session until it subscribes or its window frees up, at most. */
        @WithDefault("1000")
        int maxWaitingMessages();

        /**
         * Ids of delivered messages one session remembers (the most recent ones; those waiting or in flight it always
         * knows), so a repeat of a message in the same session is not sent again. About 100 bytes each, and only a
         * session that received this many messages holds them all.
         */
        @WithDefault("10000")
        int rememberedMessageIds();

        /** A client that has not sent CONNECT within this time is disconnected. */
        @WithDefault("10s")
        Duration connectTimeout();
    }

    /** MQTT over TLS and MQTT over secure WebSocket; on when both a certificate and a key are configured. */
    interface Tls {
        /** PEM file with the server certificate, followed by any intermediate certificates. */
        Optional<String> certificate();

        /** PEM file with the certificate's private key (PKCS#8 or PKCS#1). */
        Optional<String> key();

        /** MQTT over TLS; 0 picks a free one. */
        @WithDefault("8883")
        int port();

        /** MQTT over secure WebSocket (path {@code /mqtt}); 0 picks a free one. */
        @WithDefault("8443")
        int websocketPort();
    }

    /** Messages for devices, read from {@code outpost.outbound.v1}. */
    interface Outbound {
        /**
         * Revoked message ids remembered at most, each until its message expires (plus a minute), so a copy read later
         * is ignored. About 200 bytes each. One more forgets the id whose time ends first, with a warning.
         */
        @WithDefault("100000")
        int maxRevokedIds();
    }

    /** Delivery receipts (DELIVERED, EXPIRED) are retried until Kafka has them. */
    interface Receipts {
        /**
         * Receipts not yet acknowledged by Kafka, at most (about 1 KiB each). Above it a receipt is dropped with an
         * error log: its owner then re-sends the message on the device's next connect (a duplicate the device drops),
         * it is never lost.
         */
        @WithDefault("10000")
        int maxPending();

        /** Pause before the first retry of a failed receipt; each further failure doubles it. */
        @WithDefault("200ms")
        Duration firstRetryPause();

        /** The longest pause between two tries of one receipt; retries go on at this pace while the node runs. */
        @WithDefault("30s")
        Duration longestRetryPause();
    }

    interface Auth {
        /** Failed CONNECTs of one device identity within {@link #failureWindow()} before it is refused outright. */
        @WithDefault("5")
        int maxFailuresPerDevice();

        /** Failed CONNECTs from one source address (often a NAT of many devices) before it is refused outright. */
        @WithDefault("50")
        int maxFailuresPerAddress();

        /** Window over which failed CONNECTs are counted; refusals last until it ends. */
        @WithDefault("60s")
        Duration failureWindow();
    }
}
