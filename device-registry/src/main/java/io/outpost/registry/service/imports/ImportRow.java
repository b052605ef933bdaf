package io.outpost.registry.service.imports;

import java.util.List;

import io.outpost.registry.rest.DeviceRequest;
import io.outpost.rest.FieldError;

/** One record of an import file: its 1-based number, the device it describes, and what could not be read. */
public record ImportRow(int row, DeviceRequest request, List<FieldError> errors) {
}
