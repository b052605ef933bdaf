package io.outpost.registry.repository;

import java.util.Arrays;
import java.util.Optional;

/** Orders of a device list; each is total (ties broken by device id), so cursors never skip or repeat. */
public enum DeviceSort {
    ID("id", "d.device_id asc"),
    ID_DESC("-id", "d.device_id desc"),
    CREATED("createdAt", "d.created_at asc, d.device_id asc"),
    CREATED_DESC("-createdAt", "d.created_at desc, d.device_id desc");

    private final String parameter;
    private final String orderBy;

    DeviceSort(String parameter, String orderBy) {
        this.parameter = parameter;
        this.orderBy = orderBy;
    }

    public static Optional<DeviceSort> ofParameter(String value) {
        return Arrays.stream(values()).filter(sort -> sort.parameter.equals(value)).findFirst();
    }

    public String parameter() {
        return parameter;
    }

    String orderBy() {
        return orderBy;
    }

    boolean byCreated() {
        return this == CREATED || this == CREATED_DESC;
    }

    boolean descending() {
        return this == ID_DESC || this == CREATED_DESC;
    }
}
