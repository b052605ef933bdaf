package io.outpost.registry.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a device creation: the device and, if one was requested, its first credential. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A created device, with its first credential when one was requested")
public record DeviceCreated(DeviceView device, CredentialView credential) {
}
