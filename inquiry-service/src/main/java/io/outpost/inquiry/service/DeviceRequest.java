package io.outpost.inquiry.service;

/** What a device publishes about inquiries: it asks ({@link Asked}) or it cancels ({@link Cancel}). */
public sealed interface DeviceRequest permits Asked, DeviceRequest.Cancel {
    String tenant();

    String device();

    /** The device cancels its continuing inquiry {@code requestId} ({@code devices/{d}/inquiries/cancel/{requestId}}). */
    record Cancel(String tenant, String device, String requestId) implements DeviceRequest {
    }
}
