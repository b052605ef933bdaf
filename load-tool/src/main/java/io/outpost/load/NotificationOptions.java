package io.outpost.load;

import java.time.Duration;
import java.util.Map;

/**
 * The notification benchmark's command line ({@link NotificationLoad}): {@code --name value} pairs. With {@code --api}
 * it runs against the platform (devices subscribed to their own notifications, sends through the REST API, counters
 * from {@code --kafka} and {@code --database} when given); without, against a plain broker (the baseline), where every
 * device subscribes to {@code groups/{group}/notifications/#}.
 */
record NotificationOptions(String host, int port, String tenant, String secret, String devicePrefix, String group,
        int online, int storm, int rounds, int warmUpRounds, Duration spacing, int connectConcurrency, String api,
        String token, String kafka, String database, String databaseUser, String databasePassword) {

    static final String USAGE = """
            usage: NotificationLoad --group G [--online 10000] [--storm 10000] [--rounds 20] [--warm-up-rounds 3]
                                    [--spacing 1] [--connect-concurrency 500] [--host 127.0.0.1] [--port 1883]
                                    [--device-prefix load-]
                                    [--api http://127.0.0.1:8085 --token BEARER --tenant T --secret S]
                                    [--kafka 127.0.0.1:9092] [--database jdbc:postgresql://127.0.0.1:5433/notifications]
                                    [--database-user outpost] [--database-password outpost]""";

    static NotificationOptions parse(String[] args) {
        Map<String, String> values = OptionPairs.parse(args, 0);
        NotificationOptions options = new NotificationOptions(take(values, "host", "127.0.0.1"),
                Integer.parseInt(take(values, "port", "1883")), take(values, "tenant", null),
                take(values, "secret", null), take(values, "device-prefix", "load-"), take(values, "group", null),
                Integer.parseInt(take(values, "online", "10000")), Integer.parseInt(take(values, "storm", "10000")),
                Integer.parseInt(take(values, "rounds", "20")), Integer.parseInt(take(values, "warm-up-rounds", "3")),
                Duration.ofMillis((long) (Double.parseDouble(take(values, "spacing", "1")) * 1000)),
                Integer.parseInt(take(values, "connect-concurrency", "500")), take(values, "api", null),
                take(values, "token", null), take(values, "kafka", null), take(values, "database", null),
                take(values, "database-user", "outpost"), take(values, "database-password", "outpost"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options: --" + String.join(", --", values.keySet()));
        }
        if (options.group == null) {
            throw new IllegalArgumentException("--group is required");
        }
        if (options.api != null && (options.token == null || options.tenant == null || options.secret == null)) {
            throw new IllegalArgumentException("--api needs --token, --tenant and --secret");
        }
        if (options.rounds < 1 || options.online < 1 || options.storm < 0 || options.warmUpRounds < 0) {
            throw new IllegalArgumentException("--rounds and --online must be at least 1, --storm and "
                    + "--warm-up-rounds at least 0");
        }
        return options;
    }

    boolean platform() {
        return api != null;
    }

    /** The fleets' naming and connection settings, in the form {@link Fleet} takes them. */
    LoadOptions fleetOptions() {
        return LoadOptions.forFleet(host, port, online + storm, platform() ? tenant : null, secret, devicePrefix,
                connectConcurrency);
    }

    /** The topic a device subscribes to: its own notifications on the platform, the group's topic on a broker. */
    String filter(String device) {
        return platform() ? "devices/" + device + "/notifications/#" : "groups/" + group + "/notifications/#";
    }

    private static String take(Map<String, String> values, String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }
}
