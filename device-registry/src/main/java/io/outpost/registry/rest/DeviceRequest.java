package io.outpost.registry.rest;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A device to create or, without {@code id} and {@code credential}, the new state of one to replace. */
@Schema(description = "A device as the caller writes it")
public record DeviceRequest(
        @Schema(description = "Device id, unique in the tenant; only on create", examples = "truck-0042") String id,
        @Schema(description = "A disabled device may not connect; default true", examples = "true") Boolean enabled,
        @Schema(description = "Labels for selection: keys [A-Za-z0-9._/-]{1,63}, values up to 255 characters",
                examples = "{\"site\":\"berlin\",\"model\":\"t800\"}") Map<String, String> labels,
        @Schema(description = "Free-form JSON attributes, up to 16 KiB", examples = "{\"firmware\":\"1.4.2\"}")
        Map<String, Object> attributes,
        @Schema(description = "Ids of existing groups the device belongs to", examples = "[\"fleet-north\"]")
        List<String> groups,
        @Schema(description = "Only on create: a first credential. Omit for none; {} to generate a secret")
        CredentialRequest credential) {
}
