package io.outpost.registry.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A device as the registry returns it. */
@Schema(description = "A device")
public record DeviceView(
        @Schema(examples = "truck-0042") String id,
        @Schema(examples = "acme") String tenant,
        boolean enabled,
        Map<String, String> labels,
        Map<String, Object> attributes,
        List<String> groups,
        ConnectionView connection,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "Optimistic-lock version; also the ETag") long version) {
}
