package io.outpost.bridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TopicFiltersTest {

    @Test
    void exactFilterMatchesOnlyItsTopic() {
        assertTrue(TopicFilters.matches("devices/d/notifications/air", "devices/d/notifications/air"));
        assertFalse(TopicFilters.matches("devices/d/notifications/air", "devices/d/notifications/airx"));
        assertFalse(TopicFilters.matches("devices/d/notifications/air", "devices/d/notifications"));
        assertFalse(TopicFilters.matches("devices/d/notifications", "devices/d/notifications/air"));
    }

    @Test
    void plusMatchesExactlyOneLevelAlsoAnEmptyOne() {
        assertTrue(TopicFilters.matches("devices/d/+/air", "devices/d/notifications/air"));
        assertTrue(TopicFilters.matches("devices/d/+/air", "devices/d//air"));
        assertFalse(TopicFilters.matches("devices/d/+", "devices/d/notifications/air"));
        assertFalse(TopicFilters.matches("devices/d/+/air", "devices/d/air"));
    }

    @Test
    void trailingHashMatchesTheRestIncludingNothing() {
        assertTrue(TopicFilters.matches("devices/d/#", "devices/d/notifications/air"));
        assertTrue(TopicFilters.matches("devices/d/#", "devices/d"));
        assertTrue(TopicFilters.matches("#", "devices/d/notifications/air"));
        assertFalse(TopicFilters.matches("devices/e/#", "devices/d/notifications/air"));
        assertFalse(TopicFilters.matches("devices/d/x/#", "devices/d"));
    }

    @Test
    void agreesWithLevelByLevelMatchingOnEveryCombination() {
        List<String> topics = combinations(List.of("a", "b", ""), 3);
        List<String> filters = new ArrayList<>(combinations(List.of("a", "+", "#", ""), 3));
        for (String filter : filters) {
            for (String topic : topics) {
                assertEquals(reference(filter, topic), TopicFilters.matches(filter, topic), filter + " vs " + topic);
            }
        }
    }

    /** Every string of one to {@code depth} levels drawn from {@code levels}. */
    private static List<String> combinations(List<String> levels, int depth) {
        List<String> all = new ArrayList<>();
        List<String> previous = List.of("");
        for (int d = 1; d <= depth; d++) {
            List<String> next = new ArrayList<>();
            for (String prefix : previous) {
                for (String level : levels) {
                    next.add(d == 1 ? level : prefix + "/" + level);
                }
            }
            all.addAll(next);
            previous = next;
        }
        return all;
    }

    /** The plain definition, splitting both into levels. */
    private static boolean reference(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
