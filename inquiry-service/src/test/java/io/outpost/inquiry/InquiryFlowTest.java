package io.outpost.inquiry;

import static io.outpost.inquiry.Inquiries.as;
import static io.outpost.inquiry.Inquiries.awaitAnswers;
import static io.outpost.inquiry.Inquiries.awaitState;
import static io.outpost.inquiry.Inquiries.inquiries;
import static io.outpost.inquiry.Inquiries.text;
import static io.outpost.inquiry.Inquiries.type;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.DeliveryStatus;
import io.outpost.contracts.MessageKind;
import io.outpost.contracts.Topics;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TopicTap;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Inquiries end to end inside the service: devices played on Kafka as the bridge forwards them, a real HTTP webhook
 * on loopback, answers read where every bridge node reads them ({@code outpost.outbound.v1}).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class InquiryFlowTest {
    @Inject
    DataSource dataSource;
    @Inject
    DeviceDirectory devices;

    private final TopicTap events = TopicTap.of(Topics.INQUIRY_EVENTS);
    private TestWebhook webhook;
    private String tenant;

    @BeforeEach
    void onlineDevice() throws Exception {
        tenant = RegistryRecords.newTenant();
        webhook = new TestWebhook(Inquiries.SECRET);
        FakeBridge.connected(dataSource, tenant, "toaster");
    }

    @AfterEach
    void stopWebhook() {
        webhook.close();
    }

    @Test
    void aOneShotInquiryIsAnsweredByTheSignedWebhookOnce() {
        webhook.answering(call -> TestWebhook.Reply.json("{\"sky\":\"clear\",\"asked\":" + call.body().get("payload") + "}"));
        Inquiries.webhook(tenant, "weather", webhook.url(), Map.of());

        Inquiries.ask(tenant, "toaster", "weather", "r-1", "{\"city\":\"Bern\"}");
        ConsumerRecord<String, byte[]> answer = awaitAnswers(tenant, "toaster", "r-1", 1).get(0);
        String id = awaitState(tenant, "toaster", "r-1", "ANSWERED");

        assertEquals("last", type(answer), "a one-shot inquiry's answer is its last");
        assertEquals("{\"sky\":\"clear\",\"asked\":{\"city\":\"Bern\"}}", text(answer));
        assertEquals("application/json", TopicTap.header(answer, CloudEventHeaders.CONTENT_TYPE));
        TestWebhook.Call call = webhook.calls().get(0);
        assertEquals(id, call.body().get("inquiryId").asText());
        assertEquals("toaster", call.body().get("device").asText());
        assertEquals("one-shot", call.body().get("kind").asText());
        assertEquals(0, webhook.refused(), "every call was signed with the handler's secret");

        Inquiries.ask(tenant, "toaster", "weather", "r-1", "{\"city\":\"Bern\"}");
        Inquiries.ask(tenant, "toaster", "weather", "r-2", "{\"city\":\"Basel\"}");
        awaitAnswers(tenant, "toaster", "r-2", 1);
        assertEquals(1, Inquiries.answers(tenant, "toaster", "r-1").size(), "a repeated request id is answered once");
        assertEquals(2, webhook.calls("opened").size());
        await().atMost(Inquiries.WITHIN).until(() -> eventTypes(id), types -> types.equals(List.of("OPENED", "ANSWERED")));
    }

    @Test
    void anAnswerTheDeviceCanNeverTakeFailsTheInquiryAndTheDeviceGetsAnError() {
        // given a one-shot inquiry answered by the webhook
        webhook.answering(call -> TestWebhook.Reply.json("{\"map\":\"" + "x".repeat(2000) + "\"}"));
        Inquiries.webhook(tenant, "maps", webhook.url(), Map.of());
        Inquiries.ask(tenant, "toaster", "maps", "r-1", "{}");
        ConsumerRecord<String, byte[]> answer = awaitAnswers(tenant, "toaster", "r-1", 1).get(0);
        String id = awaitState(tenant, "toaster", "r-1", "ANSWERED");

        // when the bridge reports it larger than the device's Maximum Packet Size
        FakeBridge.receipt(tenant, "toaster", TopicTap.header(answer, CloudEventHeaders.ID),
                DeliveryStatus.UNDELIVERABLE, MessageKind.INQUIRY_RESPONSE);

        // then the inquiry fails with why, and the device gets a short error instead
        awaitState(tenant, "toaster", "r-1", "FAILED");
        assertTrue(Inquiries.inquiry(tenant, "toaster", "r-1").getString("reason")
                .startsWith("an answer could not be sent to the device"));
        ConsumerRecord<String, byte[]> error = awaitAnswers(tenant, "toaster", "r-1", 2).get(1);
        assertEquals("error", type(error));
        assertTrue(text(error).contains("Answer too large"), text(error));
        await().atMost(Inquiries.WITHIN).until(() -> eventTypes(id), types -> types.contains("FAILED"));
    }

    @Test
    void anInquiryNobodyHandlesGetsAnErrorWithinASecond() {
        Inquiries.ask(tenant, "toaster", "horoscope", "r-1", "{}");
        ConsumerRecord<String, byte[]> error = awaitAnswers(tenant, "toaster", "r-1", 1).get(0);
        awaitState(tenant, "toaster", "r-1", "FAILED");

        assertEquals("error", type(error));
        assertEquals("application/problem+json", TopicTap.header(error, CloudEventHeaders.CONTENT_TYPE));
        assertTrue(text(error).contains("No handler"), text(error));
        Instant opened = Instant.parse(Inquiries.inquiry(tenant, "toaster", "r-1").getString("openedAt"));
        Duration published = Duration.between(opened, Instant.ofEpochMilli(error.timestamp()));
        assertTrue(published.compareTo(Duration.ofSeconds(1)) < 0, "error published " + published + " after it opened");
    }

    @Test
    void aFailingOrSlowWebhookGivesTheDeviceAnError() {
        webhook.answering(call -> TestWebhook.Reply.status(500));
        Inquiries.webhook(tenant, "weather", webhook.url(), Map.of());
        Inquiries.ask(tenant, "toaster", "weather", "r-500", "{}");
        assertEquals("error", type(awaitAnswers(tenant, "toaster", "r-500", 1).get(0)));
        assertEquals("the webhook answered HTTP 500", Inquiries.inquiry(tenant, "toaster", "r-500").getString("reason"));

        try (TestWebhook slow = new TestWebhook(Inquiries.SECRET).holding()) {
            Inquiries.webhook(tenant, "traffic", slow.url(), Map.of("timeout", "1s"));
            Inquiries.ask(tenant, "toaster", "traffic", "r-slow", "{}");
            ConsumerRecord<String, byte[]> error = awaitAnswers(tenant, "toaster", "r-slow", 1).get(0);
            assertEquals("error", type(error));
            assertTrue(text(error).contains("did not answer within PT1S"), text(error));
            awaitState(tenant, "toaster", "r-slow", "FAILED");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aContinuingInquiryTakesAnswersInOrderUntilTheBackendEndsIt() {
        webhook.answering(call -> TestWebhook.Reply.json("{\"n\":0}"));
        Inquiries.webhook(tenant, "traffic", webhook.url(), Map.of());
        Inquiries.subscribe(tenant, "toaster", "traffic", "route-1", "{\"route\":\"A1\"}", Map.of());
        String id = awaitState(tenant, "toaster", "route-1", "STREAMING");

        IntStream.rangeClosed(1, 100).forEach(n -> as(tenant, "tenant-operator").body(Map.of("payload", Map.of("n", n)))
                .post(inquiries(tenant) + "/" + id + "/answers").then().statusCode(202));
        as(tenant, "tenant-operator").delete(inquiries(tenant) + "/" + id).then().statusCode(200)
                .body("state", equalTo("ENDED"), "answers", equalTo(101));

        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(tenant, "toaster", "route-1", 102);
        for (int n = 0; n <= 100; n++) {
            assertEquals("{\"n\":" + n + "}", text(answers.get(n)), "answer " + n + " in order");
            assertEquals("answer", type(answers.get(n)));
        }
        assertEquals("last", type(answers.get(101)));
        assertTrue(text(answers.get(101)).contains("\"state\":\"ENDED\""), text(answers.get(101)));
        as(tenant, "tenant-operator").body(Map.of("payload", Map.of("n", 102)))
                .post(inquiries(tenant) + "/" + id + "/answers").then().statusCode(409);
        assertEquals("continuing", webhook.calls().get(0).body().get("kind").asText());
    }

    @Test
    void anOfflineDeviceGetsOnlyTheNewestLatestOnlyAnswerWhenItComesBack() throws Exception {
        Inquiries.webhook(tenant, "traffic", webhook.url(), Map.of("latestOnly", true));
        Inquiries.subscribe(tenant, "truck", "traffic", "route-9", "{}", Map.of());
        String id = Inquiries.inquiry(tenant, "truck", "route-9").getString("id");
        await().atMost(Inquiries.WITHIN).until(() -> webhook.calls("opened").size() == 1);

        for (int n = 1; n <= 10; n++) {
            as(tenant, "tenant-operator").body(Map.of("payload", Map.of("jam", n)))
                    .post(inquiries(tenant) + "/" + id + "/answers").then().statusCode(202);
        }
        assertEquals(0, Inquiries.answers(tenant, "truck", "route-9").size(), "offline: nothing published yet");
        FakeBridge.connected(dataSource, tenant, "truck");

        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(tenant, "truck", "route-9", 1);
        assertEquals("{\"jam\":10}", text(answers.get(0)), "the newest state, not ten stale ones");
        as(tenant, "tenant-operator").body(Map.of("payload", Map.of("jam", 11)))
                .post(inquiries(tenant) + "/" + id + "/answers").then().statusCode(202);
        assertEquals("{\"jam\":11}", text(awaitAnswers(tenant, "truck", "route-9", 2).get(1)));
        assertEquals(2, Inquiries.answers(tenant, "truck", "route-9").size());
    }

    @Test
    void latestOnlyKafkaAnswersToAnOfflineDeviceLeaveOnlyTheNewest() throws Exception {
        Inquiries.kafkaHandler(tenant, "traffic", Map.of());
        Inquiries.subscribe(tenant, "van", "traffic", "route-3", "{}", Map.of());
        Inquiries.inquiry(tenant, "van", "route-3");
        for (int n = 1; n <= 20; n++) {
            FakeBridge.send(Topics.INQUIRY_ANSWERS, tenant, "van", ("{\"jam\":" + n + "}").getBytes(),
                    CloudEventTypes.INQUIRY_ANSWER, "application/json", Map.of(CloudEventHeaders.CORRELATION_ID,
                            "route-3", CloudEventHeaders.LATEST_ONLY, "true"));
        }
        await("all 20 applied").atMost(Inquiries.WITHIN).until(() -> Inquiries.inquiry(tenant, "van", "route-3")
                .getInt("answers") == 20);
        FakeBridge.connected(dataSource, tenant, "van");
        assertEquals("{\"jam\":20}", text(awaitAnswers(tenant, "van", "route-3", 1).get(0)));
        Inquiries.ask(tenant, "van", "nobody-answers", "probe", "{}");
        awaitAnswers(tenant, "van", "probe", 1);
        assertEquals(1, Inquiries.answers(tenant, "van", "route-3").size(), "one answer waited, the newest");
    }

    @Test
    void theDeviceCancelsAndGetsNothingMoreWhileTheWebhookIsTold() {
        Inquiries.webhook(tenant, "traffic", webhook.url(), Map.of());
        Inquiries.subscribe(tenant, "parked", "traffic", "route-2", "{}", Map.of());
        String id = Inquiries.inquiry(tenant, "parked", "route-2").getString("id");
        as(tenant, "tenant-operator").body(Map.of("payload", Map.of("jam", 1)))
                .post(inquiries(tenant) + "/" + id + "/answers").then().statusCode(202);

        Inquiries.cancel(tenant, "parked", "route-2");
        awaitState(tenant, "parked", "route-2", "CANCELLED");
        await().atMost(Inquiries.WITHIN).until(() -> webhook.calls("cancelled").size() == 1);
        as(tenant, "tenant-operator").body(Map.of("payload", Map.of("jam", 2)))
                .post(inquiries(tenant) + "/" + id + "/answers").then().statusCode(409);

        FakeBridge.connected(dataSource, tenant, "parked");
        Inquiries.ask(tenant, "parked", "nobody-answers", "probe", "{}");
        awaitAnswers(tenant, "parked", "probe", 1);
        assertEquals(0, Inquiries.answers(tenant, "parked", "route-2").size(),
                "the answer waiting in its mailbox was cancelled with the inquiry");
    }

    @Test
    void aContinuingInquiryEndsWithALastAnswerWhenItsLifetimeEnds() {
        Inquiries.kafkaHandler(tenant, "traffic", Map.of());
        Inquiries.subscribe(tenant, "toaster", "traffic", "short", "{}", Map.of(CloudEventHeaders.LIFETIME, "1"));
        awaitState(tenant, "toaster", "short", "EXPIRED");
        ConsumerRecord<String, byte[]> last = awaitAnswers(tenant, "toaster", "short", 1).get(0);
        assertEquals("last", type(last));
        assertTrue(text(last).contains("\"state\":\"EXPIRED\""), text(last));
    }

    @Test
    void aKafkaHandlerAnswersOnTheAnswersTopicEvenBeforeTheServiceStoredTheInquiry() throws Exception {
        Inquiries.kafkaHandler(tenant, "weather", Map.of());
        for (String type : List.of("answer", "answer", "last")) {
            if (type.equals("last")) {
                await("two answers wait for their inquiry").atMost(Inquiries.WITHIN).until(() -> earlyAnswers("k-1") == 2);
                Inquiries.subscribe(tenant, "toaster", "weather", "k-1", "{}", Map.of());
            }
            FakeBridge.send(Topics.INQUIRY_ANSWERS, tenant, "toaster", ("{\"t\":\"" + type + "\"}").getBytes(),
                    CloudEventTypes.INQUIRY_ANSWER, "application/json",
                    Map.of(CloudEventHeaders.CORRELATION_ID, "k-1", CloudEventHeaders.ANSWER_TYPE, type));
        }
        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(tenant, "toaster", "k-1", 3);
        assertEquals(List.of("answer", "answer", "last"), answers.stream().map(Inquiries::type).toList());
        awaitState(tenant, "toaster", "k-1", "ENDED");
        assertEquals(0, earlyAnswers("k-1"));
    }

    @Test
    void aRequestIdRepeatedLongAfterItsInquiryEndedAsksAnew() throws Exception {
        webhook.answering(call -> TestWebhook.Reply.json("{\"call\":" + webhook.calls().size() + "}"));
        Inquiries.webhook(tenant, "weather", webhook.url(), Map.of());
        Inquiries.ask(tenant, "toaster", "weather", "r-1", "{}");
        String first = awaitState(tenant, "toaster", "r-1", "ANSWERED");
        try (Connection connection = dataSource.getConnection(); PreparedStatement aged = connection.prepareStatement(
                "update inquiry set state_at = state_at - interval '1 hour' where id = ?")) {
            aged.setString(1, first);
            assertEquals(1, aged.executeUpdate());
        }
        Inquiries.ask(tenant, "toaster", "weather", "r-1", "{}");
        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(tenant, "toaster", "r-1", 2);
        assertEquals(List.of("{\"call\":1}", "{\"call\":2}"), answers.stream().map(Inquiries::text).toList());
        assertTrue(!first.equals(Inquiries.inquiry(tenant, "toaster", "r-1").getString("id")), "a new inquiry");
    }

    private int earlyAnswers(String requestId) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement count = connection.prepareStatement(
                "select count(*) from inquiry_early_answer where tenant_id = ? and request_id = ?")) {
            count.setString(1, tenant);
            count.setString(2, requestId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @Test
    void aDeviceAskingTooOftenGetsAnError() {
        Inquiries.kafkaHandler(tenant, "ping", Map.of());
        for (int n = 0; n < 25; n++) {
            Inquiries.ask(tenant, "toaster", "ping", "p-" + n, "{}");
        }
        await().atMost(Inquiries.WITHIN).until(() -> as(tenant, "tenant-viewer").queryParam("device", "toaster")
                .queryParam("state", "FAILED").get(inquiries(tenant)).jsonPath().getList("items").size() >= 1);
        String reason = as(tenant, "tenant-viewer").queryParam("state", "FAILED").get(inquiries(tenant)).jsonPath()
                .getString("items[0].reason");
        assertTrue(reason.contains("more than 20 inquiries at once"), reason);
    }

    @Test
    void aDeletedDeviceTakesItsInquiriesWithItAndItsSuccessorStartsEmpty() {
        RegistryRecords.put(tenant, "kiosk", true, "correct-horse-battery-staple");
        await().atMost(Inquiries.WITHIN).until(() -> devices.find(tenant + "/kiosk").isPresent());
        Inquiries.kafkaHandler(tenant, "traffic", Map.of());
        Inquiries.subscribe(tenant, "kiosk", "traffic", "r-1", "{}", Map.of());
        String id = Inquiries.inquiry(tenant, "kiosk", "r-1").getString("id");
        as(tenant, "tenant-operator").body(Map.of("payload", Map.of("for", "the old kiosk")))
                .post(inquiries(tenant) + "/" + id + "/answers").then().statusCode(202);

        RegistryRecords.delete(tenant, "kiosk");
        await("the inquiry is gone with its device").atMost(Inquiries.WITHIN).until(() -> as(tenant, "tenant-viewer")
                .get(inquiries(tenant) + "/" + id).statusCode() == 404);
        await().atMost(Inquiries.WITHIN).until(() -> eventTypes(id).contains("CANCELLED"));

        RegistryRecords.put(tenant, "kiosk", true, "correct-horse-battery-staple");
        FakeBridge.connected(dataSource, tenant, "kiosk");
        Inquiries.subscribe(tenant, "kiosk", "traffic", "r-1", "{}", Map.of());
        String successor = Inquiries.inquiry(tenant, "kiosk", "r-1").getString("id");
        as(tenant, "tenant-operator").body(Map.of("payload", Map.of("for", "the new kiosk")))
                .post(inquiries(tenant) + "/" + successor + "/answers").then().statusCode(202);
        List<ConsumerRecord<String, byte[]>> answers = awaitAnswers(tenant, "kiosk", "r-1", 1);
        assertEquals("{\"for\":\"the new kiosk\"}", text(answers.get(0)), "the same request id is a new inquiry");
        assertEquals(1, Inquiries.answers(tenant, "kiosk", "r-1").size(), "nothing of its predecessor's");
    }

    private List<String> eventTypes(String id) {
        return events.withHeader(CloudEventHeaders.SUBJECT, id).stream()
                .map(r -> new String(r.value()).replaceAll(".*\"type\":\"([A-Z]+)\".*", "$1")).toList();
    }
}
