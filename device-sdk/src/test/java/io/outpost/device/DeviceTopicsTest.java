package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceTopicsTest {
    private final DeviceTopics topics = new DeviceTopics("truck-7");

    @Test
    void topicsFollowTheDeviceContract() {
        assertEquals("devices/truck-7/telemetry", topics.telemetry(null));
        assertEquals("devices/truck-7/telemetry/engine", topics.telemetry("engine"));
        assertEquals("devices/truck-7/commands/response/c1/succeeded", topics.commandResponse("c1", "succeeded"));
        assertEquals("devices/truck-7/inquiries/request/weather/r1", topics.inquiryRequest("weather", "r1"));
        assertEquals("devices/truck-7/inquiries/subscribe/traffic/r2", topics.inquirySubscribe("traffic", "r2"));
        assertEquals("devices/truck-7/inquiries/cancel/r2", topics.inquiryCancel("r2"));
    }

    @Test
    void aStreamOrInquiryNameMustBeOneTopicLevel() {
        assertThrows(IllegalArgumentException.class, () -> topics.telemetry("a/b"));
        assertThrows(IllegalArgumentException.class, () -> topics.telemetry("#"));
        assertThrows(IllegalArgumentException.class, () -> topics.inquiryRequest("", "r1"));
    }

    @Test
    void anInquiryAnswerTopicGivesItsRequestIdAndType() {
        assertEquals("devices/truck-7/inquiries/response/#", topics.inquiryResponses());
        assertEquals(new DeviceTopics.InquiryResponse("r1", DeviceTopics.AnswerType.ANSWER),
                DeviceTopics.inquiryResponse("inquiries/response/r1/answer"));
        assertEquals(new DeviceTopics.InquiryResponse("r1", DeviceTopics.AnswerType.LAST),
                DeviceTopics.inquiryResponse("inquiries/response/r1/last"));
        assertEquals(new DeviceTopics.InquiryResponse("r1", DeviceTopics.AnswerType.ERROR),
                DeviceTopics.inquiryResponse("inquiries/response/r1/error"));
        assertNull(DeviceTopics.inquiryResponse("inquiries/response/r1"), "the type is required");
        assertNull(DeviceTopics.inquiryResponse("inquiries/response/r1/LAST"));
        assertNull(DeviceTopics.inquiryResponse("inquiries/response//last"));
        assertNull(DeviceTopics.inquiryResponse("inquiries/response/r1/last/more"));
        assertNull(DeviceTopics.inquiryResponse("notifications/r1/last"));
    }

    @Test
    void tunnelRequestsArriveOneLevelBelowRemoteAccessTunnels() {
        assertEquals("devices/truck-7/remote-access/tunnels/+", topics.remoteAccessTunnels());
        assertTrue(DeviceTopics.isTunnelRequest("remote-access/tunnels/tun_3f6c"));
        assertFalse(DeviceTopics.isTunnelRequest("remote-access/tunnels/"));
        assertFalse(DeviceTopics.isTunnelRequest("remote-access/tunnels/tun_1/more"));
        assertFalse(DeviceTopics.isTunnelRequest("notifications/remote-access/tunnels/tun_1"));
    }

    @Test
    void relativeStripsOnlyThisDevicesPrefix() {
        assertEquals("notifications/air/alert", topics.relative("devices/truck-7/notifications/air/alert"));
        assertNull(topics.relative("devices/truck-70/notifications/air/alert"));
    }
}
