package io.outpost.command.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.outpost.contracts.CommandState;

/** One step of a command's history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A state transition")
public record TransitionView(
        @Schema(description = "The state entered") CommandState state,
        @Schema(description = "The state left; absent for the first step") CommandState from,
        Instant at,
        @Schema(examples = "acknowledged by the device on node-1") String reason) {
}
