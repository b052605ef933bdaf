package io.outpost.bridge.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.bridge.NodeIdentity;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.DeviceSessionEvent;
import io.outpost.contracts.SessionEventType;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;

/** Tells the registry and the owners when a device's session starts, subscribes and ends on this node. */
@ApplicationScoped
public class SessionEventPublisher {
    private static final Logger LOG = Logger.getLogger(SessionEventPublisher.class);

    @Inject
    BridgeProducer producer;
    @Inject
    NodeIdentity node;
    @Inject
    ObjectMapper json;

    public void publish(String tenant, String device, SessionEventType type, String sessionId, String reason,
            String protocolVersion, String remoteAddress) {
        DeviceSessionEvent event = new DeviceSessionEvent(tenant, device, type, sessionId, node.id(), Instant.now(),
                reason, protocolVersion, remoteAddress);
        byte[] value;
        try {
            value = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a DeviceSessionEvent always serializes", e);
        }
        String key = tenant + "/" + device;
        producer.send(new ProducerRecord<>(Topics.DEVICE_SESSIONS, null, key, value,
                CloudEventRecords.headers(sessionId + "-" + type, node.source(), CloudEventTypes.DEVICE_SESSION,
                        event.at(), tenant, device, "application/json")),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warnf("session event %s of %s not published: %s", type, key, error.toString());
                    }
                });
    }
}
