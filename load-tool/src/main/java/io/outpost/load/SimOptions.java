package io.outpost.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The simulator's command line: {@code --name value} pairs. {@code notifications} is the filter below
 * {@code devices/{device}/notifications/} the devices subscribe to ({@code #} unless given), null for {@code none}.
 */
record SimOptions(String host, int port, String tenant, int devices, String devicePrefix, String secret,
        Path devicesFile, String registry, String token, double ratePerDevice, int payloadBytes, int qos,
        double churnPerSecond, Duration duration, int connectConcurrency, List<String> sourceAddresses,
        Path report, String notifications) {

    static final String USAGE = """
            usage: outpost-sim --tenant T [--devices 1000] [--device-prefix sim-] [--secret S | --devices-file id,secret.csv]
                               [--registry http://127.0.0.1:8081 --token BEARER]   (provision by bulk import)
                               [--host 127.0.0.1] [--port 1883] [--rate 1] [--payload-bytes 100] [--qos 1]
                               [--churn 0] [--duration 60] [--connect-concurrency 200]
                               [--source-addresses 127.0.0.1,127.0.0.2] [--report sim.json]
                               [--notifications '#'|FILTER|none]""";

    static SimOptions parse(String[] args) {
        Map<String, String> values = OptionPairs.parse(args, 0);
        SimOptions options = new SimOptions(take(values, "host", "127.0.0.1"),
                Integer.parseInt(take(values, "port", "1883")), take(values, "tenant", null),
                Integer.parseInt(take(values, "devices", "1000")), take(values, "device-prefix", "sim-"),
                take(values, "secret", null), path(take(values, "devices-file", null)), take(values, "registry", null),
                take(values, "token", null), Double.parseDouble(take(values, "rate", "1")),
                Integer.parseInt(take(values, "payload-bytes", "100")), Integer.parseInt(take(values, "qos", "1")),
                Double.parseDouble(take(values, "churn", "0")),
                Duration.ofSeconds(Long.parseLong(take(values, "duration", "60"))),
                Integer.parseInt(take(values, "connect-concurrency", "200")),
                Arrays.asList(take(values, "source-addresses", "").split(",")).stream().filter(s -> !s.isBlank())
                        .toList(), path(take(values, "report", null)),
                notifications(take(values, "notifications", "#")));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options: --" + String.join(", --", values.keySet()));
        }
        if (options.tenant == null) {
            throw new IllegalArgumentException("--tenant is required");
        }
        if (options.devicesFile == null && options.secret == null) {
            throw new IllegalArgumentException("give --secret (with --devices) or --devices-file");
        }
        if (options.registry != null && options.token == null) {
            throw new IllegalArgumentException("--registry needs --token");
        }
        if (options.qos != 0 && options.qos != 1) {
            throw new IllegalArgumentException("--qos must be 0 or 1");
        }
        return options;
    }

    private static String notifications(String filter) {
        if (filter.equals("none")) {
            return null;
        }
        if (filter.isEmpty() || filter.startsWith("/") || filter.endsWith("/")) {
            throw new IllegalArgumentException("--notifications must be a topic filter below notifications/, such as "
                    + "# or alerts/+, or none: " + filter);
        }
        return filter;
    }

    private static String take(Map<String, String> values, String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }
}
