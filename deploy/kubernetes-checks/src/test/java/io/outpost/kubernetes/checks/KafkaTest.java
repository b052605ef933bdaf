package io.outpost.kubernetes.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.outpost.contracts.Topics;

/** Kafka: a KafkaTopic for every topic of the contracts, as the services need it; production's replication. */
class KafkaTest {

    private static final long DAY_MS = 86_400_000L;

    /** Every {@code public static final String} of {@link Topics}, so a new constant needs a KafkaTopic at once. */
    static Set<String> contractTopics() {
        Set<String> topics = new TreeSet<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    topics.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return topics;
    }

    static Map<String, JsonNode> topicsByName(List<ObjectNode> docs) {
        return Overlays.ofKind(docs, "KafkaTopic").stream()
                .collect(Collectors.toMap(t -> t.path("spec").path("topicName").asText(), Function.identity()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyContractTopicHasAKafkaTopicAndNoOtherTopicIsDeclared(String overlay) {
        // given the contracts' topics and the overlay's KafkaTopics
        Set<String> contract = contractTopics();
        Set<String> declared = new TreeSet<>(topicsByName(Overlays.render(overlay)).keySet());
        // then they are the same set
        Set<String> missing = new TreeSet<>(contract);
        missing.removeAll(declared);
        Set<String> extra = new TreeSet<>(declared);
        extra.removeAll(contract);
        assertTrue(missing.isEmpty(), "topics of io.outpost.contracts.Topics without a KafkaTopic: " + missing);
        assertTrue(extra.isEmpty(), "KafkaTopics for topics the contracts do not have: " + extra);
        assertTrue(contract.containsAll(Topics.ALL) && contract.size() >= 15, "reflection found " + contract);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void compactedTopicsAreCompactedAndEveryOtherTopicIsDeletedAfterARetention(String overlay) {
        List<String> wrong = new ArrayList<>();
        topicsByName(Overlays.render(overlay)).forEach((name, topic) -> {
            JsonNode config = topic.path("spec").path("config");
            String policy = config.path("cleanup.policy").asText();
            if (Topics.COMPACTED.contains(name)) {
                if (!policy.equals("compact")) {
                    wrong.add(name + ": cleanup.policy " + policy + ", Topics.COMPACTED says compact");
                }
            } else if (!policy.equals("delete") || config.path("retention.ms").asLong() < DAY_MS) {
                wrong.add(name + ": needs cleanup.policy delete and a retention.ms of a day or more, has " + config);
            }
            // The local platform's partitions; the consumer groups scale out to this many pods.
            if (topic.path("spec").path("partitions").asInt() != 12) {
                wrong.add(name + ": partitions " + topic.path("spec").path("partitions") + ", not 12");
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void deviceSessionsAreKeptTheSevenDaysTheMailboxReadsBack() {
        // device-mailbox/README.md: a new owner reads the retained history of the sessions topic from the start.
        JsonNode sessions = topicsByName(Overlays.render("production")).get(Topics.DEVICE_SESSIONS);
        assertTrue(sessions.path("spec").path("config").path("retention.ms").asLong() >= 7 * DAY_MS,
                "retention of " + Topics.DEVICE_SESSIONS + ": " + sessions.path("spec").path("config"));
    }

    @Test
    void productionRunsThreeBrokersReplicatingEveryTopicThreeTimesWithTwoInSync() {
        List<ObjectNode> docs = Overlays.render("production");
        assertReplication(docs, 3, 2);
    }

    @Test
    void devRunsOneBroker() {
        assertReplication(Overlays.render("dev"), 1, 1);
    }

    private static void assertReplication(List<ObjectNode> docs, int brokers, int minInSync) {
        int nodes = Overlays.ofKind(docs, "KafkaNodePool").stream()
                .filter(p -> p.path("spec").path("roles").toString().contains("\"broker\""))
                .mapToInt(p -> p.path("spec").path("replicas").asInt()).sum();
        assertEquals(brokers, nodes, "broker nodes of the KafkaNodePools");
        JsonNode config = Overlays.named(docs, "Kafka", "outpost").path("spec").path("kafka").path("config");
        assertEquals(brokers, config.path("default.replication.factor").asInt(), "default.replication.factor");
        assertEquals(minInSync, config.path("min.insync.replicas").asInt(), "min.insync.replicas");
        assertEquals(brokers, config.path("offsets.topic.replication.factor").asInt(), "offsets.topic.replication.factor");
        assertEquals(minInSync, config.path("transaction.state.log.min.isr").asInt(), "transaction.state.log.min.isr");
        List<String> wrong = new ArrayList<>();
        topicsByName(docs).forEach((name, topic) -> {
            if (topic.path("spec").path("replicas").asInt() != brokers) {
                wrong.add(name + ": replicas " + topic.path("spec").path("replicas"));
            }
            JsonNode isr = topic.path("spec").path("config").path("min.insync.replicas");
            if (!isr.isMissingNode() && isr.asInt() != minInSync) {
                wrong.add(name + ": min.insync.replicas " + isr);
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
