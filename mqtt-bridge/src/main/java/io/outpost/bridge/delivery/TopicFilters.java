package io.outpost.bridge.delivery;

/**
 * MQTT topic-filter matching: {@code +} matches one level, a trailing {@code #} the rest (including none, so
 * {@code a/#} matches {@code a}). It walks both strings level by level without splitting them: a session checks every
 * waiting message against its filters each time its queue moves, which makes this the hot path of a group message.
 */
public final class TopicFilters {
    private TopicFilters() {
    }

    public static boolean matches(String filter, String topic) {
        int f = 0;
        int t = 0;
        while (true) {
            int filterEnd = levelEnd(filter, f);
            int topicEnd = levelEnd(topic, t);
            int filterLevel = filterEnd - f;
            if (filterLevel == 1 && filter.charAt(f) == '#') {
                return true;
            }
            boolean plus = filterLevel == 1 && filter.charAt(f) == '+';
            if (!plus && !(filterLevel == topicEnd - t && filter.regionMatches(f, topic, t, filterLevel))) {
                return false;
            }
            boolean filterDone = filterEnd == filter.length();
            boolean topicDone = topicEnd == topic.length();
            if (filterDone || topicDone) {
                return filterDone ? topicDone : levelEnd(filter, filterEnd + 1) == filterEnd + 2
                        && filter.charAt(filterEnd + 1) == '#';
            }
            f = filterEnd + 1;
            t = topicEnd + 1;
        }
    }

    private static int levelEnd(String text, int start) {
        int slash = text.indexOf('/', start);
        return slash < 0 ? text.length() : slash;
    }
}
