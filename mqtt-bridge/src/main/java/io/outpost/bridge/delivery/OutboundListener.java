package io.outpost.bridge.delivery;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.bridge.NodeIdentity;
import io.outpost.bridge.config.BridgeConfig;
import io.outpost.bridge.mqtt.OutboundRouter;
import io.outpost.contracts.Topics;
import io.outpost.messaging.TopicFollower;
import io.outpost.messaging.TraceContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Every node reads all of {@code outpost.outbound.v1} from the latest offset (no consumer group: each node needs
 * every message, since any node may hold the device) and hands each message to the sessions here it is for
 * ({@link OutboundRouter}): the device's, or those of a group's members or of a tenant's whole fleet. Members connected
 * elsewhere or offline are skipped: their owners re-publish to them on their next CONNECTED or SUBSCRIBED. Each
 * message gets its local deadline when it is read ({@link ExpiringMessage}).
 * <p>
 * A revocation drops the message wherever it waits here and makes the node ignore every later record with its id
 * until it expires ({@link RevokedIds}). Records it cannot read are skipped with a warning. With tracing on, a message
 * keeps the trace context of its record for the span of its delivery ({@link DeliveryTracing}).
 */
@ApplicationScoped
public class OutboundListener {
    private static final Logger LOG = Logger.getLogger(OutboundListener.class);
    /** A revocation without a readable expiry is remembered as long as the longest-lived message may live. */
    private static final Duration LONGEST_LIFETIME = Duration.ofDays(7);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    NodeIdentity node;
    @Inject
    OutboundRouter router;
    @Inject
    BridgeConfig config;
    @Inject
    MeterRegistry metrics;
    @Inject
    DeliveryTracing tracing;

    private volatile TopicFollower follower;
    private RevokedIds revoked;

    void start(@Observes StartupEvent start) {
        revoked = new RevokedIds(config.outbound().maxRevokedIds());
        metrics.gauge("outpost.bridge.outbound.revoked.ids", revoked, RevokedIds::size);
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
        OutboundRecord read = OutboundRecords.read(record);
        if (read instanceof OutboundRecord.Message message) {
            deliver(message, record.timestamp(), tracing.read(record.headers()));
        } else if (read instanceof OutboundRecord.Revocation revocation) {
            revoke(revocation, record.timestamp());
        } else if (read instanceof OutboundRecord.Unusable unusable) {
            LOG.warnf("skipped an outbound record at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), unusable.why());
        }
    }

    private void deliver(OutboundRecord.Message record, long createTimeMillis, TraceContext trace) {
        String tenant = record.message().tenant();
        String id = record.message().id();
        if (revoked.revoked(tenant, id, System.nanoTime())) {
            LOG.debugf("ignored %s of %s: revoked", id, tenant);
            return;
        }
        ExpiringMessage expiring = ExpiringMessage.readNow(record.message(), createTimeMillis)
                .forIncarnation(record.incarnation()).withTrace(trace);
        router.deliver(record.group() == null ? expiring : expiring.forGroup(record.group()), record.audience());
    }

    private void revoke(OutboundRecord.Revocation revocation, long createTimeMillis) {
        long now = System.nanoTime();
        long deadline;
        if (revocation.expiresAt() == null) {
            LOG.warnf("revocation of %s of %s without a readable expiry: remembered for %d days", revocation.id(),
                    revocation.tenant(), LONGEST_LIFETIME.toDays());
            deadline = now + LONGEST_LIFETIME.toNanos();
        } else {
            deadline = LocalDeadline.readNow(revocation.expiresAt(), createTimeMillis);
        }
        revoked.revoke(revocation.tenant(), revocation.id(), deadline, now);
        router.revoke(revocation.tenant(), revocation.id());
    }
}
