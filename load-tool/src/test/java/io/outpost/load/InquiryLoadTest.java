package io.outpost.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.outpost.contracts.InquiryAnswerType;

class InquiryLoadTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef0123456789a";

    @Test
    void aResponseTopicNamesTheDeviceTheRequestIdAndWhetherMoreFollow() {
        assertEquals(new DeviceInquiryTopics.Response("inq-7", "m12", InquiryAnswerType.LAST),
                DeviceInquiryTopics.parse("devices/inq-7/inquiries/response/m12/last"));
        assertEquals(new DeviceInquiryTopics.Response("inq-7", "route-7", InquiryAnswerType.ANSWER),
                DeviceInquiryTopics.parse(DeviceInquiryTopics.response("inq-7", "route-7", InquiryAnswerType.ANSWER)));
        assertNull(DeviceInquiryTopics.parse("devices/inq-7/inquiries/response/m12/later"));
        assertNull(DeviceInquiryTopics.parse("devices/inq-7/notifications/alerts/r1"));
        assertEquals("devices/inq-7/inquiries/request/forecast/m12",
                DeviceInquiryTopics.request("inq-7", "forecast", "m12"));
    }

    @Test
    void theWebhookTakesACallSignedWithItsSecretWithinFiveMinutesOnly() {
        byte[] body = "{\"event\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
        long t = 1_796_033_700L;
        String v1 = HexFormat.of().formatHex(BenchWebhook.hmac(SECRET, Long.toString(t), body));

        assertTrue(BenchWebhook.verified(SECRET, "t=" + t + ",v1=" + v1, body, t + 299));
        assertFalse(BenchWebhook.verified(SECRET, "t=" + t + ",v1=" + v1, body, t + 301), "too old");
        assertFalse(BenchWebhook.verified(SECRET + "x", "t=" + t + ",v1=" + v1, body, t), "another secret");
        assertFalse(BenchWebhook.verified(SECRET, "t=" + t + ",v1=" + v1,
                "{\"event\":\"cancelled\"}".getBytes(StandardCharsets.UTF_8), t), "another body");
        assertFalse(BenchWebhook.verified(SECRET, null, body, t), "unsigned");
        assertFalse(BenchWebhook.verified(SECRET, "v1=" + v1, body, t), "no time");
    }

    @Test
    void aContinuingAnswerIsReadFromItsRequestIdAndPayload() {
        assertEquals(42, ContinuingInquiries.inquiryOf("route-42"));
        assertEquals(-1, ContinuingInquiries.inquiryOf("m42"));
        assertEquals(-1, ContinuingInquiries.inquiryOf("route-x"));
        assertEquals(7, ContinuingInquiries.number("{\"seq\":7,\"sentAt\":123456789012}", "seq"));
        assertEquals(123456789012L, ContinuingInquiries.number("{\"seq\":7,\"sentAt\":123456789012}", "sentAt"));
        assertEquals(-1, ContinuingInquiries.number("{\"seq\":\"7\"}", "seq"));
        assertEquals(-1, ContinuingInquiries.number("{}", "seq"));
    }

    @Test
    void serviceCountersAreSummedOverTheSamplesThatMatch() {
        Map<String, Double> samples = Map.of(
                "outpost_inquiry_answers_total{outcome=\"applied\",source=\"kafka\",tenant=\"b\"}", 7.0,
                "outpost_inquiry_answers_total{outcome=\"ended\",source=\"kafka\",tenant=\"b\"}", 2.0,
                "outpost_inquiry_answers_total{outcome=\"applied\",source=\"rest\",tenant=\"b\"}", 100.0,
                "outpost_inquiry_requests_total{outcome=\"opened\",tenant=\"b\"}", 5.0);

        assertEquals(9, ContinuingInquiries.sum(samples, "outpost_inquiry_answers_total{", "source=\"kafka\""));
        assertEquals(107, ContinuingInquiries.sum(samples, "outpost_inquiry_answers_total{", "outcome=\"applied\""));
        assertEquals(0, ContinuingInquiries.sum(samples, "outpost_inquiry_dropped_total{", ""));
    }

    @Test
    void optionsSpreadDevicesOverTheBridgeNodesAndRunTheBaselineWithoutAnApi() {
        InquiryOptions platform = InquiryOptions.parse(new String[] {"one-shot", "--ports", "1883,1893", "--api",
                "http://127.0.0.1:8086", "--token", "t", "--tenant", "bench", "--secret", "s", "--rate", "200"});
        assertEquals(List.of(1883, 1893), platform.ports());
        assertTrue(platform.platform());
        assertEquals(1000, platform.devices());
        assertEquals(Duration.ofSeconds(15), platform.warmUp());
        assertEquals("inq-0@bench", LoadOptions.forFleet("127.0.0.1", 1883, 1, "bench", "s", "inq-", 1).username(0));

        InquiryOptions broker = InquiryOptions.parse(new String[] {"one-shot", "--port", "1884"});
        assertEquals(List.of(1884), broker.ports());
        assertFalse(broker.platform());
        assertNull(broker.fleetOptions().username(0), "no credentials for a plain broker");

        InquiryOptions continuing = InquiryOptions.parse(new String[] {"continuing", "--api", "http://x", "--token",
                "t", "--tenant", "bench", "--secret", "s", "--kafka", "127.0.0.1:9092", "--service-pid", "42"});
        assertEquals(10_000, continuing.devices());
        assertEquals(Duration.ofSeconds(120), continuing.drain());
        assertEquals(42, continuing.servicePid());
    }

    @Test
    void optionsRefuseAContinuingRunOffThePlatformAndWhatTheyDoNotKnow() {
        assertThrows(IllegalArgumentException.class, () -> InquiryOptions.parse(new String[] {"continuing"}));
        assertThrows(IllegalArgumentException.class, () -> InquiryOptions.parse(new String[] {"paced"}));
        assertThrows(IllegalArgumentException.class,
                () -> InquiryOptions.parse(new String[] {"one-shot", "--rat", "200"}));
        assertThrows(IllegalArgumentException.class,
                () -> InquiryOptions.parse(new String[] {"one-shot", "--api", "http://x", "--tenant", "t"}));
    }

    @Test
    void theResidentMemoryOfThisProcessIsReadAndAMissingOneIsNull() {
        assertTrue(ProcessMemory.rssBytes(ProcessHandle.current().pid()) > 0);
        assertEquals(-1, ProcessMemory.rssBytes(-1));
        assertEquals("null", ProcessMemory.mib(-1));
        assertEquals("1.5", ProcessMemory.mib(1_572_864));
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\"", Json.string("a\"b\\c\n"));
        assertEquals("null", Json.string(null));
        assertEquals("null", Json.number(Double.NaN));
    }
}
