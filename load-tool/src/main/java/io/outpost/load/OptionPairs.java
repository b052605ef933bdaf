package io.outpost.load;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs from a command line, from a given argument on. */
final class OptionPairs {
    private OptionPairs() {
    }

    static Map<String, String> parse(String[] args, int from) {
        if ((args.length - from) % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = from; i < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
        return values;
    }
}
