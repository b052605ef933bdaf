package io.outpost.inquiry.service;

import java.time.Duration;

/**
 * An inquiry as the device asked it on {@code devices/{d}/inquiries/request|subscribe/{name}/{requestId}}.
 *
 * @param lifetime what the device asked for (MQTT 5 user property {@code lifetime}); null for the default
 */
public record Asked(String tenant, String device, String name, String requestId, boolean continuing,
        String contentType, byte[] payload, Duration lifetime) {
}
