package io.outpost.load;

import java.time.Duration;
import java.util.Map;

/**
 * Command-line options: {@code --name value} pairs after the scenario name. {@code api}, {@code token} and
 * {@code concurrency} are for the REST scenarios ({@link CommandLoad}).
 */
record LoadOptions(String scenario, String host, int port, int devices, String tenant, String secret,
        String devicePrefix, int payloadBytes, double ratePerDevice, Duration warmUp, Duration duration,
        int connectConcurrency, Duration hold, String api, String token, int concurrency) {

    static LoadOptions parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: <scenario> [--option value]...");
        }
        Map<String, String> values = OptionPairs.parse(args, 1);
        LoadOptions options = new LoadOptions(args[0], values.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(values.getOrDefault("port", "1883")),
                Integer.parseInt(values.getOrDefault("devices", "1000")),
                values.get("tenant"), values.get("secret"), values.getOrDefault("device-prefix", "load-"),
                Integer.parseInt(values.getOrDefault("payload-bytes", "100")),
                Double.parseDouble(values.getOrDefault("rate", "5")),
                Duration.ofSeconds(Long.parseLong(values.getOrDefault("warm-up", "5"))),
                Duration.ofSeconds(Long.parseLong(values.getOrDefault("duration", "20"))),
                Integer.parseInt(values.getOrDefault("connect-concurrency", "200")),
                Duration.ofSeconds(Long.parseLong(values.getOrDefault("hold", "30"))),
                values.get("api"), values.get("token"), Integer.parseInt(values.getOrDefault("concurrency", "16")));
        values.keySet().removeAll(java.util.Set.of("host", "port", "devices", "tenant", "secret", "device-prefix",
                "payload-bytes", "rate", "warm-up", "duration", "connect-concurrency", "hold", "api", "token",
                "concurrency"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + values.keySet());
        }
        return options;
    }

    /** Only what {@link Fleet} reads: naming, endpoint, credentials and connect concurrency. */
    static LoadOptions forFleet(String host, int port, int devices, String tenant, String secret, String devicePrefix,
            int connectConcurrency) {
        return new LoadOptions("fleet", host, port, devices, tenant, secret, devicePrefix, 0, 0, Duration.ZERO,
                Duration.ZERO, connectConcurrency, Duration.ZERO, null, null, 0);
    }

    String device(int index) {
        return devicePrefix + index;
    }

    /** {@code device@tenant} for the bridge; without a tenant (a plain broker) no credentials are sent. */
    String username(int index) {
        return tenant == null ? null : device(index) + "@" + tenant;
    }

    String topic(int index) {
        return "devices/" + device(index) + "/telemetry";
    }
}
