package io.outpost.load;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The inquiry benchmark's command line ({@link InquiryLoad}): the scenario ({@code one-shot} or {@code continuing}),
 * then {@code --name value} pairs. With {@code --api} it runs against the platform (devices log in to the bridge
 * nodes of {@code --ports}, handlers are registered over REST); without, {@code one-shot} runs against a plain broker
 * (the baseline). {@code continuing} needs the platform and {@code --kafka}.
 */
record InquiryOptions(String scenario, String host, List<Integer> ports, String tenant, String secret,
        String devicePrefix, int devices, double rate, Duration warmUp, Duration duration, double answersPerSecond,
        Duration drain, int connectConcurrency, String api, String token, String kafka, long servicePid) {

    static final String ONE_SHOT = "one-shot";
    static final String CONTINUING = "continuing";

    static final String USAGE = """
            usage: InquiryLoad one-shot [--devices 1000] [--rate 200] [--warm-up 15] [--duration 60]
                   InquiryLoad continuing --api URL --kafka 127.0.0.1:9092 [--devices 10000] [--answers-per-second 1]
                               [--duration 60] [--drain 120] [--service-pid PID]
              both: [--host 127.0.0.1] [--ports 1883,1893 | --port 1883] [--device-prefix load-]
                    [--connect-concurrency 500] [--api http://127.0.0.1:8086 --token BEARER --tenant T --secret S]""";

    static InquiryOptions parse(String[] args) {
        if (args.length == 0 || !(args[0].equals(ONE_SHOT) || args[0].equals(CONTINUING))) {
            throw new IllegalArgumentException("the first argument is the scenario: one-shot or continuing");
        }
        Map<String, String> values = OptionPairs.parse(args, 1);
        boolean continuing = args[0].equals(CONTINUING);
        String port = take(values, "port", "1883");
        InquiryOptions options = new InquiryOptions(args[0], take(values, "host", "127.0.0.1"),
                Arrays.stream(take(values, "ports", port).split(",")).map(String::trim).map(Integer::valueOf).toList(),
                take(values, "tenant", null), take(values, "secret", null), take(values, "device-prefix", "load-"),
                Integer.parseInt(take(values, "devices", continuing ? "10000" : "1000")),
                Double.parseDouble(take(values, "rate", "200")), seconds(take(values, "warm-up", "15")),
                seconds(take(values, "duration", "60")), Double.parseDouble(take(values, "answers-per-second", "1")),
                seconds(take(values, "drain", "120")), Integer.parseInt(take(values, "connect-concurrency", "500")),
                take(values, "api", null), take(values, "token", null), take(values, "kafka", null),
                Long.parseLong(take(values, "service-pid", "-1")));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options: --" + String.join(", --", values.keySet()));
        }
        if (options.api != null && (options.token == null || options.tenant == null || options.secret == null)) {
            throw new IllegalArgumentException("--api needs --token, --tenant and --secret");
        }
        if (continuing && (options.api == null || options.kafka == null)) {
            throw new IllegalArgumentException("continuing runs on the platform only: it needs --api and --kafka");
        }
        if (options.devices < 1 || options.rate <= 0 || options.answersPerSecond <= 0 || options.duration.isZero()
                || options.ports.isEmpty()) {
            throw new IllegalArgumentException("--devices, --rate, --answers-per-second, --duration and --ports must be"
                    + " positive");
        }
        return options;
    }

    boolean platform() {
        return api != null;
    }

    /** The fleet's naming and credentials in the form {@link Fleet} takes them (ports are given to the fleet). */
    LoadOptions fleetOptions() {
        return LoadOptions.forFleet(host, ports.get(0), devices, platform() ? tenant : null, secret, devicePrefix,
                connectConcurrency);
    }

    private static Duration seconds(String value) {
        return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
    }

    private static String take(Map<String, String> values, String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }
}
