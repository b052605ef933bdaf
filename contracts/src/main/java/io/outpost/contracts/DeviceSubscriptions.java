package io.outpost.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A JSON record on {@link Topics#DEVICE_SUBSCRIPTIONS}, keyed {@code {tenant}/{device}}: the topic filters of an MQTT
 * 3.1.1 persistent session (CleanSession 0), all granted QoS 1.
 *
 * @param at when the session last changed them
 */
public record DeviceSubscriptions(String tenant, String device, List<String> filters, Instant at) {
}
