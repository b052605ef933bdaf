package io.outpost.registry.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.outpost.registry.Credential;
import io.outpost.registry.Device;
import io.outpost.registry.rest.CredentialRequest;
import io.outpost.registry.rest.CredentialView;
import io.outpost.rest.FieldError;
import io.outpost.rest.ProblemException;

/** Device secrets: at most two active at once (rotation), hashed before they are stored, revocable. */
@ApplicationScoped
public class CredentialService {
    public static final int MAX_ACTIVE = 2;

    @Inject
    SecretHasher hasher;
    @Inject
    DeviceValidator validator;
    @Inject
    RegistryOutbox outbox;
    @Inject
    DeviceService devices;

    @Transactional
    public CredentialView add(String tenantId, String deviceId, CredentialRequest request) {
        Device device = devices.get(tenantId, deviceId);
        CredentialView issued = issue(device, request, "");
        outbox.deviceChanged(device);
        return issued;
    }

    /** Stores a new credential of the device, in the caller's transaction; the caller publishes the device. */
    CredentialView issue(Device device, CredentialRequest request, String fieldPrefix) {
        List<FieldError> errors = new ArrayList<>();
        validator.validateCredential(fieldPrefix, request, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (Credential.active(device.pk).size() >= MAX_ACTIVE) {
            throw ProblemException.conflict("device " + device.deviceId + " already has " + MAX_ACTIVE
                    + " active credentials; revoke one first");
        }
        boolean generated = request.secret() == null;
        String secret = generated ? hasher.generateSecret() : request.secret();
        Credential credential = newCredential(device.pk, secret, request.notAfter());
        credential.persist();
        DeviceService.touch(device);
        return view(credential, generated ? secret : null);
    }

    public Credential newCredential(long devicePk, String secret, Instant notAfter) {
        Credential credential = new Credential();
        credential.id = UUID.randomUUID();
        credential.devicePk = devicePk;
        credential.algorithm = SecretHasher.ALGORITHM;
        credential.salt = hasher.newSalt();
        credential.hash = SecretHasher.hash(credential.salt, secret);
        credential.createdAt = Clock.now();
        credential.notAfter = notAfter;
        return credential;
    }

    public List<CredentialView> list(String tenantId, String deviceId) {
        Device device = devices.get(tenantId, deviceId);
        return Credential.<Credential>list("devicePk = ?1 order by createdAt", device.pk).stream()
                .map(credential -> view(credential, null)).toList();
    }

    @Transactional
    public void revoke(String tenantId, String deviceId, UUID credentialId) {
        Device device = devices.get(tenantId, deviceId);
        Credential credential = Credential.<Credential>find("id = ?1 and devicePk = ?2", credentialId, device.pk)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("credential " + credentialId + " not found"));
        if (credential.revokedAt == null) {
            credential.revokedAt = Clock.now();
            DeviceService.touch(device);
            outbox.deviceChanged(device);
        }
    }

    static CredentialView view(Credential credential, String secret) {
        return new CredentialView(credential.id, credential.algorithm, credential.createdAt, credential.notAfter,
                credential.revokedAt, secret);
    }
}
