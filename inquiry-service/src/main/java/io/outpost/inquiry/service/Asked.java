package io.outpost.inquiry.service;

import java.time.Duration;
import java.time.Instant;

/**
 * An inquiry as the device asked it on {@code devices/{d}/inquiries/request|subscribe/{name}/{requestId}}.
 *
 * @param lifetime what the device asked for (MQTT 5 user property {@code lifetime}); null for the default
 * @param at       when the bridge forwarded it (the record's time); an inquiry whose lifetime ran out before the service
 *                 read it (a service down for long, a first deployment reading old records) ends EXPIRED at once
 */
public record Asked(String tenant, String device, String name, String requestId, boolean continuing,
        String contentType, byte[] payload, Duration lifetime, Instant at) implements DeviceRequest {
}
