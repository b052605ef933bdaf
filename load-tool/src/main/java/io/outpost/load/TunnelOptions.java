package io.outpost.load;

import java.time.Duration;
import java.util.Map;

/**
 * The tunnel benchmark's command line ({@link TunnelLoad}): {@code --name value} pairs. Always against the platform:
 * remote-access-service's API and relay at {@code --api}, the devices' MQTT bridge at {@code --host}:{@code --port}.
 */
record TunnelOptions(String api, String token, String tenant, String secret, String devicePrefix, int devices,
        String host, int port, long megabytes, long warmUpMegabytes, int chunkBytes, int tunnels, Duration timeout) {

    static final String USAGE = """
            usage: TunnelLoad --api http://127.0.0.1:8087 --token BEARER --tenant T --secret S
                              [--devices 10] [--device-prefix load-] [--host 127.0.0.1] [--port 1883]
                              [--megabytes 100] [--warm-up-megabytes 10] [--chunk-kib 64] [--tunnels 100]
                              [--timeout 30]""";

    static TunnelOptions parse(String[] args) {
        Map<String, String> values = OptionPairs.parse(args, 0);
        TunnelOptions options = new TunnelOptions(take(values, "api", null), take(values, "token", null),
                take(values, "tenant", null), take(values, "secret", null), take(values, "device-prefix", "load-"),
                Integer.parseInt(take(values, "devices", "10")), take(values, "host", "127.0.0.1"),
                Integer.parseInt(take(values, "port", "1883")), Long.parseLong(take(values, "megabytes", "100")),
                Long.parseLong(take(values, "warm-up-megabytes", "10")),
                Integer.parseInt(take(values, "chunk-kib", "64")) * 1024,
                Integer.parseInt(take(values, "tunnels", "100")),
                Duration.ofSeconds(Long.parseLong(take(values, "timeout", "30"))));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options: --" + String.join(", --", values.keySet()));
        }
        if (options.api == null || options.token == null || options.tenant == null || options.secret == null) {
            throw new IllegalArgumentException("--api, --token, --tenant and --secret are required");
        }
        if (options.devices < 1 || options.tunnels < 1 || options.megabytes < 1 || options.warmUpMegabytes < 0
                || options.chunkBytes < 1024 || options.timeout.isZero() || options.timeout.isNegative()) {
            throw new IllegalArgumentException("--devices, --tunnels, --megabytes, --chunk-kib and --timeout must be"
                    + " positive, --warm-up-megabytes at least 0");
        }
        return options;
    }

    String device(int index) {
        return devicePrefix + index;
    }

    /** The measured bytes (megabytes are 10^6 bytes). */
    long bytes() {
        return megabytes * 1_000_000;
    }

    long warmUpBytes() {
        return warmUpMegabytes * 1_000_000;
    }

    private static String take(Map<String, String> values, String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }
}
