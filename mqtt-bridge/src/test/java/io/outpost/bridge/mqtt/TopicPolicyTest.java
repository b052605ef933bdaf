package io.outpost.bridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.outpost.bridge.mqtt.TopicPolicy.Refusal;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;

class TopicPolicyTest {
    final TopicPolicy policy = new TopicPolicy(256);

    @ParameterizedTest
    @CsvSource({
            "devices/truck-7/telemetry, outpost.telemetry.v1, io.outpost.telemetry.v1",
            "devices/truck-7/telemetry/engine, outpost.telemetry.v1, io.outpost.telemetry.v1",
            "devices/truck-7/inquiries/request/weather/r1, outpost.inquiries.v1, io.outpost.inquiry.request.v1",
            "devices/truck-7/inquiries/subscribe/traffic/r2, outpost.inquiries.v1, io.outpost.inquiry.subscribe.v1",
            "devices/truck-7/inquiries/cancel/r2, outpost.inquiries.v1, io.outpost.inquiry.cancel.v1",
            "devices/truck-7/commands/response/c-1, outpost.command-responses.v1, io.outpost.command.response.v1",
            "devices/truck-7/commands/response/c-1/200, outpost.command-responses.v1, io.outpost.command.response.v1" })
    void ownUpstreamTopicsGoToTheirKafkaTopic(String topic, String kafkaTopic, String type) {
        TopicPolicy.PublishCheck check = policy.checkPublish("truck-7", topic);

        assertNull(check.refusal());
        assertEquals(kafkaTopic, check.upstream().kafkaTopic());
        assertEquals(type, check.upstream().cloudEventType());
        assertEquals(topic.substring("devices/truck-7/".length()), check.upstream().subTopic());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "devices/truck-8/telemetry", // another device
            "devices/truck-77/telemetry", // a device whose id starts like ours
            "devices/truck-7/commands/request/c-1/unlock", // the platform's direction
            "devices/truck-7/notifications/alert", // the platform's direction
            "devices/truck-7/inquiries/response/r1", // the platform's direction
            "devices/truck-7/telemetry/a/b", // too deep
            "devices/truck-7/unknown", "devices/truck-7", "telemetry", "devices" })
    void otherTopicsAreNotAuthorizedForPublish(String topic) {
        assertEquals(Refusal.NOT_AUTHORIZED, policy.checkPublish("truck-7", topic).refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = { "devices/truck-7/telemetry/+", "devices/truck-7/#", "devices/+/telemetry", "#",
            "devices/truck-7//telemetry", "/devices/truck-7/telemetry", "devices/truck-7/telemetry/",
            "$SYS/broker", "devices/truck-7/telemetry/\u0000", "devices/truck-7/tele\u0001metry" })
    void malformedPublishTopicsAreInvalid(String topic) {
        assertEquals(Refusal.INVALID, policy.checkPublish("truck-7", topic).refusal());
    }

    @Test
    void overlongTopicIsInvalid() {
        String topic = "devices/truck-7/telemetry/" + "x".repeat(300);
        assertEquals(Refusal.INVALID, policy.checkPublish("truck-7", topic).refusal());
        assertEquals(Refusal.INVALID, policy.checkSubscribe("truck-7", topic));
    }

    @Test
    void replacementCharacterLeftByIllFormedUtf8IsInvalid() {
        assertEquals(Refusal.INVALID, policy.checkPublish("truck-7", "devices/truck-7/telemetry/x\uFFFD").refusal());
    }

    @Test
    void loneSurrogateIsInvalid() {
        assertEquals(Refusal.INVALID, policy.checkPublish("truck-7", "devices/truck-7/telemetry/\uD800x").refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = { "devices/truck-7/#", "devices/truck-7/+/request/#", "devices/truck-7/commands/request/+/+",
            "devices/truck-7/notifications/#", "devices/truck-7/inquiries/response/r1" })
    void deviceMaySubscribeBelowItsOwnPrefixWithWildcards(String filter) {
        assertNull(policy.checkSubscribe("truck-7", filter));
    }

    @ParameterizedTest
    @ValueSource(strings = { "#", "+/#", "devices/#", "devices/+/commands/request/#", "devices/truck-8/#",
            "devices/truck-77/#", "devices/truck-7", "+/truck-7/#", "$SYS/#", "$share/g/devices/truck-7/#" })
    void subscriptionsOutsideTheOwnPrefixAreNotAuthorized(String filter) {
        Refusal refusal = policy.checkSubscribe("truck-7", filter);
        org.junit.jupiter.api.Assertions.assertNotNull(refusal, filter);
    }

    @ParameterizedTest
    @ValueSource(strings = { "devices/truck-7/#/x", "devices/truck-7/tele#", "devices/truck-7/a+", "devices/truck-7//#" })
    void misplacedWildcardsAreInvalidFilters(String filter) {
        assertEquals(Refusal.INVALID, policy.checkSubscribe("truck-7", filter));
    }

    @Test
    void typesMatchTheContracts() {
        assertEquals(Topics.TELEMETRY, policy.checkPublish("d", "devices/d/telemetry").upstream().kafkaTopic());
        assertEquals(CloudEventTypes.TELEMETRY, policy.checkPublish("d", "devices/d/telemetry").upstream().cloudEventType());
    }
}
