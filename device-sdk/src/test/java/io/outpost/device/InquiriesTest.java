package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InquiriesTest {
    private final List<String> cancelsSent = new CopyOnWriteArrayList<>();
    private final List<Message> answers = new CopyOnWriteArrayList<>();
    private final Inquiries inquiries = new Inquiries("test-device", new RecentIds(100), requestId -> {
        cancelsSent.add(requestId);
        return CompletableFuture.completedFuture(null);
    });

    @AfterEach
    void close() {
        inquiries.close();
    }

    @Test
    void aLastAnswerCompletesTheAskAndTheRequestIsForgotten() throws Exception {
        Inquiry ask = inquiries.open("weather", "r1", null);

        receive("r1", "last", "m-1", "{\"sky\":\"clear\"}");

        Message answer = ended(ask);
        assertEquals("{\"sky\":\"clear\"}", answer.text());
        assertEquals("m-1", answer.id());
        assertEquals("inquiries/response/r1/last", answer.topic());
        assertTrue(answer.last());
        assertEquals(0, inquiries.size());
    }

    @Test
    void answersReachTheHandlerInOrderUntilTheLastOneEndsTheSubscription() throws Exception {
        Inquiry traffic = inquiries.open("traffic", "r2", answers::add);

        receive("r2", "answer", "m-1", "{\"jam\":1}");
        receive("r2", "answer", "m-2", "{\"jam\":2}");
        assertEquals(1, inquiries.size(), "an answer does not end it");
        receive("r2", "last", "m-3", "{\"state\":\"ENDED\",\"reason\":\"road reopened\"}");
        receive("r2", "answer", "m-4", "{\"jam\":3}");

        Message last = ended(traffic);
        assertEquals("m-3", last.id());
        assertEquals(List.of("m-1 answer", "m-2 answer", "m-3 last"), received(),
                "the handler got every answer before the inquiry ended, and nothing after the last");
        assertEquals(0, inquiries.size());
    }

    @Test
    void anErrorAnswerFailsTheInquiryWithTheProblemDetailAfterTheEarlierAnswers() throws Exception {
        Inquiry traffic = inquiries.open("traffic", "r3", answers::add);

        receive("r3", "answer", "m-1", "{\"jam\":1}");
        receive("r3", "error", "m-2", "{\"type\":\"about:blank\",\"title\":\"Handler failed\",\"status\":502,"
                + "\"detail\":\"traffic backend timed out after 10 s\"}");

        ExecutionException error = assertThrows(ExecutionException.class,
                () -> traffic.ended().get(10, TimeUnit.SECONDS));
        InquiryFailedException failed = assertInstanceOf(InquiryFailedException.class, error.getCause());
        assertEquals("Handler failed", failed.title());
        assertEquals("traffic backend timed out after 10 s", failed.detail());
        assertEquals("r3", failed.requestId());
        assertEquals("traffic", failed.name());
        assertEquals("inquiry traffic (r3) failed: Handler failed: traffic backend timed out after 10 s",
                failed.getMessage());
        assertEquals(List.of("m-1 answer"), received(), "the error itself is not an answer");
        assertEquals(0, inquiries.size());
    }

    @Test
    void aCopyOfAnAnswerIsDroppedByItsMessageId() throws Exception {
        Inquiry traffic = inquiries.open("traffic", "r4", answers::add);

        receive("r4", "answer", "m-1", "{\"jam\":1}");
        receive("r4", "answer", "m-1", "{\"jam\":1}");
        receive("r4", "answer", "m-2", "{\"jam\":2}");
        receive("r4", "last", "m-3", "{}");
        receive("r4", "last", "m-3", "{}");

        ended(traffic);
        assertEquals(List.of("m-1 answer", "m-2 answer", "m-3 last"), received());
    }

    @Test
    void answersToRequestIdsThatAreNotOpenAreIgnored() throws Exception {
        Inquiry traffic = inquiries.open("traffic", "r5", answers::add);

        receive("r-unknown", "answer", "m-1", "{}");
        receive("r-unknown", "last", "m-2", "{}");
        receive("r-unknown", "error", "m-3", "{\"title\":\"No handler\"}");
        receive("r5", "last", "m-4", "{}");

        ended(traffic);
        assertEquals(List.of("m-4 last"), received());
    }

    @Test
    void topicsThatAreNotAnswersAreIgnored() throws Exception {
        Inquiry traffic = inquiries.open("traffic", "r6", answers::add);

        inquiries.receive("inquiries/response/r6", "m-1", bytes("{}"), "application/json");
        inquiries.receive("inquiries/response/r6/final", "m-2", bytes("{}"), "application/json");
        inquiries.receive("inquiries/response/r6/last/extra", "m-3", bytes("{}"), "application/json");
        inquiries.receive("inquiries/request/traffic/r6", "m-4", bytes("{}"), "application/json");
        assertEquals(1, inquiries.size());
        receive("r6", "last", "m-5", "{}");

        ended(traffic);
        assertEquals(List.of("m-5 last"), received());
    }

    @Test
    void cancelSendsTheCancelEndsTheInquiryAndLaterAnswersAreIgnored() throws Exception {
        Inquiry traffic = inquiries.open("traffic", "r7", answers::add);
        receive("r7", "answer", "m-1", "{\"jam\":1}");

        traffic.cancel().get(10, TimeUnit.SECONDS);
        receive("r7", "answer", "m-2", "{\"jam\":2}");
        receive("r7", "last", "m-3", "{}");

        assertThrows(CancellationException.class, () -> traffic.ended().get(10, TimeUnit.SECONDS));
        assertEquals(List.of("m-1 answer"), received(), "an answer received before the cancel is still handled");
        assertEquals(List.of("r7"), cancelsSent);
        traffic.cancel().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("r7"), cancelsSent, "an inquiry that ended is not cancelled again");
    }

    @Test
    void aHandlerThatThrowsGetsTheLaterAnswers() throws Exception {
        Inquiry traffic = inquiries.open("traffic", "r8", answer -> {
            answers.add(answer);
            throw new IllegalStateException("display broken");
        });

        receive("r8", "answer", "m-1", "{}");
        receive("r8", "last", "m-2", "{}");

        assertEquals("m-2", ended(traffic).id());
        assertEquals(List.of("m-1 answer", "m-2 last"), received());
    }

    @Test
    void aRefusedRequestFailsTheInquiryWithTheReason() {
        Inquiry ask = inquiries.open("weather", "r9", null);

        inquiries.refused(ask, new CompletionException(new DeviceException("publish refused: QUOTA_EXCEEDED")));

        ExecutionException error = assertThrows(ExecutionException.class, () -> ask.ended().get(10, TimeUnit.SECONDS));
        assertInstanceOf(DeviceException.class, error.getCause());
        assertEquals("publish refused: QUOTA_EXCEEDED", error.getCause().getMessage());
        assertEquals(0, inquiries.size());
    }

    @Test
    void completingTheFutureFromOutsideForgetsTheRequest() {
        Inquiry ask = inquiries.open("weather", "r10", null);

        ask.ended().completeExceptionally(new TimeoutException("no answer within 1 s"));

        assertEquals(0, inquiries.size());
        receive("r10", "last", "m-1", "{}");
        assertTrue(ask.ended().isCompletedExceptionally());
    }

    @Test
    void closingFailsTheOpenInquiries() {
        Inquiry ask = inquiries.open("weather", "r11", null);

        inquiries.close();

        ExecutionException error = assertThrows(ExecutionException.class, () -> ask.ended().get(10, TimeUnit.SECONDS));
        assertInstanceOf(DeviceException.class, error.getCause());
        assertEquals(0, inquiries.size());
    }

    @Test
    void aRequestIdCanBeOpenOnlyOnce() {
        inquiries.open("weather", "r12", null);
        assertThrows(IllegalStateException.class, () -> inquiries.open("weather", "r12", null));
    }

    @Test
    void theLifetimeIsWholeSecondsRoundedUp() {
        assertEquals("30", Inquiries.lifetimeSeconds(Duration.ofSeconds(30)));
        assertEquals("2", Inquiries.lifetimeSeconds(Duration.ofMillis(1500)));
        assertEquals("1", Inquiries.lifetimeSeconds(Duration.ofMillis(1)));
        assertEquals("999999999", Inquiries.lifetimeSeconds(Duration.ofSeconds(999_999_999)));
        assertThrows(IllegalArgumentException.class, () -> Inquiries.lifetimeSeconds(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Inquiries.lifetimeSeconds(Duration.ofSeconds(-5)));
        assertThrows(IllegalArgumentException.class,
                () -> Inquiries.lifetimeSeconds(Duration.ofSeconds(1_000_000_000)));
    }

    @Test
    void onlyALastAnswerIsLast() {
        assertTrue(message("inquiries/response/r1/last").last());
        assertFalse(message("inquiries/response/r1/answer").last());
        assertFalse(message("inquiries/response/r1/error").last());
        assertFalse(message("notifications/alerts/last").last());
    }

    private void receive(String requestId, String type, String messageId, String json) {
        inquiries.receive("inquiries/response/" + requestId + "/" + type, messageId, bytes(json), "application/json");
    }

    private static Message ended(Inquiry inquiry) throws Exception {
        return inquiry.ended().get(10, TimeUnit.SECONDS);
    }

    private List<String> received() {
        return answers.stream().map(answer -> answer.id() + (answer.last() ? " last" : " answer")).toList();
    }

    private static Message message(String topic) {
        return new Message("m-1", topic, new byte[0], null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
