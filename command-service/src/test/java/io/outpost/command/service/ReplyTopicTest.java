package io.outpost.command.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.outpost.contracts.CommandState;

class ReplyTopicTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "commands/response/c-1, c-1, -, SUCCEEDED",
            "commands/response/c-1/succeeded, c-1, succeeded, SUCCEEDED",
            "commands/response/c-1/OK, c-1, OK, SUCCEEDED",
            "commands/response/c-1/204, c-1, 204, SUCCEEDED",
            "commands/response/c-1/failed, c-1, failed, FAILED",
            "commands/response/c-1/500, c-1, 500, FAILED",
            "commands/response/c-1/2000, c-1, 2000, FAILED",
            "commands/response/c-1/maybe, c-1, maybe, FAILED",
            "devices/truck-7/commands/response/c-1/failed, c-1, failed, FAILED" })
    void replyTopicNamesTheCommandAndItsOutcome(String topic, String id, String status, CommandState outcome) {
        ReplyTopic reply = ReplyTopic.parse(topic, "truck-7").orElseThrow();
        assertEquals(id, reply.commandId());
        assertEquals(status, reply.status());
        assertEquals(outcome, reply.outcome());
    }

    @ParameterizedTest
    @ValueSource(strings = { "commands/response", "commands/response/", "commands/request/c-1/open",
            "telemetry/x", "commands/response/c-1/ok/extra", "commands/response/c-1/", "devices/other/commands/response" })
    void otherTopicsAreNotReplies(String topic) {
        assertTrue(ReplyTopic.parse(topic, "truck-7").isEmpty());
    }
}
