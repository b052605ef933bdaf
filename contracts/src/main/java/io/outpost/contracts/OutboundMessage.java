package io.outpost.contracts;

import java.time.Instant;

/**
 * A message for one device on {@link Topics#OUTBOUND}. On Kafka it travels in CloudEvents binary mode:
 * {@code id} is {@code ce_id}, {@code tenant}/{@code device} the {@code ce_tenant}/{@code ce_device} extensions,
 * {@code mqttTopic} is {@code ce_mqtttopic}, {@code expiresAt} is {@code ce_expiresat}, and the payload is the value.
 *
 * @param id          unique message id; devices use it to drop duplicates (delivery is at least once)
 * @param tenant      tenant id
 * @param device      device id within the tenant
 * @param kind        which owner sent it
 * @param mqttTopic   topic below {@code devices/{device}/}, e.g. {@code commands/request/{commandId}/{name}}
 * @param createdAt   when the owner stored it; pending messages are re-published in this order
 * @param expiresAt   never delivered after this instant
 * @param contentType media type of the payload
 * @param payload     bytes for the device, untouched
 */
public record OutboundMessage(
        String id,
        String tenant,
        String device,
        MessageKind kind,
        String mqttTopic,
        Instant createdAt,
        Instant expiresAt,
        String contentType,
        byte[] payload) {
}
