package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicFilterTest {

    @Test
    void aFilterWithoutWildcardsMatchesOnlyItsOwnTopic() {
        TopicFilter filter = TopicFilter.of("air/alert");
        assertTrue(filter.matches("air/alert"));
        assertFalse(filter.matches("air"));
        assertFalse(filter.matches("air/alert/pm10"));
        assertFalse(filter.matches("air/alerts"));
    }

    @Test
    void plusMatchesExactlyOneLevel() {
        TopicFilter filter = TopicFilter.of("+/alert");
        assertTrue(filter.matches("air/alert"));
        assertTrue(filter.matches("water/alert"));
        assertFalse(filter.matches("alert"));
        assertFalse(filter.matches("air/alert/pm10"));
        assertTrue(TopicFilter.of("+").matches("news"));
        assertFalse(TopicFilter.of("+").matches("news/today"));
    }

    @Test
    void hashMatchesTheRestIncludingNothing() {
        TopicFilter alerts = TopicFilter.of("alerts/#");
        assertTrue(alerts.matches("alerts"), "as in MQTT, the parent level itself matches");
        assertTrue(alerts.matches("alerts/fire"));
        assertTrue(alerts.matches("alerts/fire/kitchen"));
        assertFalse(alerts.matches("alert"));
        assertFalse(alerts.matches("news/alerts"));
        assertTrue(TopicFilter.of("#").matches("anything/at/all"));
        assertTrue(TopicFilter.of("+/+/#").matches("a/b"));
        assertFalse(TopicFilter.of("+/+/#").matches("a"));
    }

    @Test
    void malformedFiltersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of(""));
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of(null));
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of("alerts/"));
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of("/alerts"));
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of("alerts//fire"));
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of("alerts#"));
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of("al+erts"));
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of("#/fire"));
    }

    @Test
    void aFilterThatCanNeverMatchAOneToThreeLevelTopicIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of("a/b/c/d"));
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of("+/+/+/+/#"));
        assertTrue(TopicFilter.of("a/b/c/#").matches("a/b/c"));
    }
}
