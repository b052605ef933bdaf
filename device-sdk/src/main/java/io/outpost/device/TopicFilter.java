package io.outpost.device;

import java.util.regex.Pattern;

/**
 * An MQTT topic filter over the notification topics, which lie below {@code notifications/} and have one to three
 * levels: {@code +} matches one level, a last level {@code #} matches any number of levels, none included (as in
 * MQTT, {@code alerts/#} matches {@code alerts}).
 */
final class TopicFilter {
    private static final int MAX_TOPIC_LEVELS = 3;
    private static final Pattern WILDCARD_INSIDE_LEVEL = Pattern.compile(".*[+#].*");

    private final String text;
    private final String[] levels;

    private TopicFilter(String text) {
        this.text = text;
        this.levels = text.split("/", -1);
    }

    /** Parses a filter, refusing one that is malformed or could never match a topic of one to three levels. */
    static TopicFilter of(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("a notification filter must not be empty");
        }
        TopicFilter parsed = new TopicFilter(filter);
        String[] levels = parsed.levels;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.isEmpty()) {
                throw new IllegalArgumentException("empty level in notification filter " + filter);
            }
            if (WILDCARD_INSIDE_LEVEL.matcher(level).matches() && !level.equals("+") && !level.equals("#")) {
                throw new IllegalArgumentException("+ and # must be a whole level in notification filter " + filter);
            }
            if (level.equals("#") && i != levels.length - 1) {
                throw new IllegalArgumentException("# must be the last level in notification filter " + filter);
            }
        }
        int fixedLevels = levels[levels.length - 1].equals("#") ? levels.length - 1 : levels.length;
        if (fixedLevels > MAX_TOPIC_LEVELS) {
            throw new IllegalArgumentException("notification topics have one to three levels; " + filter
                    + " never matches one");
        }
        return parsed;
    }

    /** Whether a topic below {@code notifications/} matches. */
    boolean matches(String topic) {
        String[] topicLevels = topic.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("#")) {
                return true;
            }
            if (i >= topicLevels.length || !(levels[i].equals("+") || levels[i].equals(topicLevels[i]))) {
                return false;
            }
        }
        return levels.length == topicLevels.length;
    }

    @Override
    public String toString() {
        return text;
    }
}
