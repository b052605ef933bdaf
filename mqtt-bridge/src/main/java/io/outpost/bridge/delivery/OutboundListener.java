package io.outpost.bridge.delivery;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.outpost.bridge.NodeIdentity;
import io.outpost.messaging.TopicFollower;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.contracts.OutboundMessage;
import io.outpost.contracts.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Every node reads all of {@code outpost.outbound.v1} from the latest offset (no consumer group: each node needs
 * every message, since any node may hold the device) and hands each message to the device's session here, if any.
 * Messages for devices connected elsewhere or offline are skipped: their owners re-publish them on the device's
 * next CONNECTED or SUBSCRIBED. Each message gets its local deadline when it is read ({@link ExpiringMessage}).
 */
@ApplicationScoped
public class OutboundListener {
    private static final Logger LOG = Logger.getLogger(OutboundListener.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    NodeIdentity node;
    @Inject
    MqttGateway gateway;

    private volatile TopicFollower follower;

    void start(@Observes StartupEvent start) {
        follower = new TopicFollower(Topics.OUTBOUND, TopicFollower.Start.END, kafkaConfig,
                "mqtt-bridge-outbound-" + node.id(), this::onRecord, () -> LOG.debug("outbound listener positioned"));
        follower.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        follower.stop();
    }

    /**
     * True while the listener reads every partition up to its end with a working consumer, so a message published now
     * reaches a session here. False before it is first positioned, and again while a failed consumer restarts (it
     * then resumes where it stopped, so sessions already here miss nothing, only later).
     */
    public boolean live() {
        TopicFollower current = follower;
        return current != null && current.live();
    }

    private void onRecord(ConsumerRecord<String, byte[]> record) {
        OutboundMessage message = OutboundRecords.read(record);
        if (message == null) {
            LOG.warnf("skipped an outbound record without id, tenant, device, topic, type or expiry at %s-%d@%d",
                    record.topic(), record.partition(), record.offset());
        } else {
            gateway.deliver(ExpiringMessage.readNow(message, record.timestamp()));
        }
    }
}
