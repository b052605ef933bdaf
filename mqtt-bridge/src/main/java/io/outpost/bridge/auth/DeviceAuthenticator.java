package io.outpost.bridge.auth;

import java.time.Instant;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.outpost.bridge.config.BridgeConfig;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.contracts.Identifiers;
import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.SecretHashScheme;

/**
 * Checks a CONNECT's username {@code {device}@{tenant}} and secret against the registry view: one salted SHA-256
 * per active secret ({@link SecretHashScheme} says why that is enough), no network call.
 */
@ApplicationScoped
public class DeviceAuthenticator {
    private static final Pattern TENANT = Pattern.compile(Identifiers.TENANT_ID);
    private static final Pattern DEVICE = Pattern.compile(Identifiers.DEVICE_ID);

    /** The outcome of a CONNECT. */
    public enum Outcome {
        ACCEPTED,
        /** Unknown device, wrong secret or malformed username: deliberately indistinguishable. */
        BAD_CREDENTIALS,
        /** The device exists and the secret is right, but it is disabled. */
        DISABLED,
        /** Too many failures for this device or source address; try later. */
        THROTTLED
    }

    /** The outcome and, when accepted, who connected. */
    public record Result(Outcome outcome, String tenant, String device) {
        public String key() {
            return tenant + Identifiers.KEY_SEPARATOR + device;
        }
    }

    private final FailureThrottle identities;
    private final FailureThrottle addresses;

    @Inject
    DeviceDirectory directory;

    @Inject
    public DeviceAuthenticator(BridgeConfig config) {
        this.identities = new FailureThrottle(config.auth().maxFailuresPerDevice(), config.auth().failureWindow(),
                System::nanoTime);
        this.addresses = new FailureThrottle(config.auth().maxFailuresPerAddress(), config.auth().failureWindow(),
                System::nanoTime);
    }

    public Result authenticate(String username, String secret, String remoteHost) {
        int at = username == null ? -1 : username.indexOf(Identifiers.USERNAME_SEPARATOR);
        String device = at < 0 ? null : username.substring(0, at);
        String tenant = at < 0 ? null : username.substring(at + 1);
        String identity = String.valueOf(username);
        String address = String.valueOf(remoteHost);
        if (identities.blocked(identity) || addresses.blocked(address)) {
            return new Result(Outcome.THROTTLED, tenant, device);
        }
        if (device == null || !DEVICE.matcher(device).matches() || !TENANT.matcher(tenant).matches() || secret == null) {
            return failure(identity, address, tenant, device);
        }
        RegistryDevice record = directory.find(tenant + Identifiers.KEY_SEPARATOR + device).orElse(null);
        if (record == null || !matchesAnActiveSecret(record, secret)) {
            return failure(identity, address, tenant, device);
        }
        return new Result(record.enabled() ? Outcome.ACCEPTED : Outcome.DISABLED, tenant, device);
    }

    private Result failure(String identity, String address, String tenant, String device) {
        identities.failed(identity);
        addresses.failed(address);
        return new Result(Outcome.BAD_CREDENTIALS, tenant, device);
    }

    static boolean matchesAnActiveSecret(RegistryDevice device, String secret) {
        Instant now = Instant.now();
        return device.secrets().stream().anyMatch(hash -> SecretHashScheme.matches(hash, secret, now));
    }
}
