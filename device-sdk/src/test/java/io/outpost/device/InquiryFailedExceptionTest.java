package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class InquiryFailedExceptionTest {

    @Test
    void titleAndDetailComeFromTheProblemJson() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Too many inquiries\",\"status\":429,"
                + "\"detail\":\"at most \\\"5\\\" per minute\\nfor weather \\u00e9\"}";

        InquiryFailedException failed = InquiryFailedException.fromAnswer("weather", "r1", bytes(problem));

        assertEquals("Too many inquiries", failed.title());
        assertEquals("at most \"5\" per minute\nfor weather \u00e9", failed.detail());
        assertEquals(problem, failed.problem());
    }

    @Test
    void aProblemWithoutTitleOrDetailStillSaysWhichInquiryFailed() {
        InquiryFailedException failed = InquiryFailedException.fromAnswer("weather", "r2", bytes("{\"status\":500}"));

        assertNull(failed.title());
        assertNull(failed.detail());
        assertEquals("inquiry weather (r2) failed: no reason given", failed.getMessage());
    }

    @Test
    void aPayloadThatIsNotJsonIsTheDetail() {
        InquiryFailedException failed = InquiryFailedException.fromAnswer("weather", "r3", bytes("handler gone\n"));

        assertNull(failed.title());
        assertEquals("handler gone", failed.detail());
        assertEquals("inquiry weather (r3) failed: no reason given: handler gone", failed.getMessage());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
