package io.outpost.inquiry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.TestTokens;
import io.outpost.testsupport.TopicTap;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Plays devices (through the bridge, on Kafka) and backends (over REST) in inquiry tests. */
final class Inquiries {
    static final Duration WITHIN = Duration.ofSeconds(20);
    static final String SECRET = "a-webhook-secret-of-at-least-32-characters";
    static final TopicTap OUTBOUND = TopicTap.of(Topics.OUTBOUND);

    private Inquiries() {
    }

    static RequestSpecification as(String tenant, String role) {
        return given().auth().oauth2(TestTokens.forTenant(tenant, role)).contentType(ContentType.JSON);
    }

    static String inquiries(String tenant) {
        return "/api/v1/tenants/" + tenant + "/inquiries";
    }

    static String handler(String tenant, String name) {
        return "/api/v1/tenants/" + tenant + "/inquiry-handlers/" + name;
    }

    /** A webhook handler with {@link #SECRET}; {@code extra} adds or overrides fields. */
    static void webhook(String tenant, String name, String url, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("kind", "webhook", "url", url, "secret", SECRET));
        body.putAll(extra);
        as(tenant, "tenant-admin").body(body).put(handler(tenant, name)).then().statusCode(201);
    }

    static void kafkaHandler(String tenant, String name, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("kind", "kafka"));
        body.putAll(extra);
        as(tenant, "tenant-admin").body(body).put(handler(tenant, name)).then().statusCode(201);
    }

    /** The device asks once on {@code inquiries/request/{name}/{requestId}}. */
    static void ask(String tenant, String device, String name, String requestId, String json) {
        publish(tenant, device, "inquiries/request/" + name + "/" + requestId, CloudEventTypes.INQUIRY_REQUEST, json,
                Map.of());
    }

    /** The device asks for answers until it ends on {@code inquiries/subscribe/{name}/{requestId}}. */
    static void subscribe(String tenant, String device, String name, String requestId, String json,
            Map<String, String> headers) {
        publish(tenant, device, "inquiries/subscribe/" + name + "/" + requestId, CloudEventTypes.INQUIRY_SUBSCRIBE,
                json, headers);
    }

    static void cancel(String tenant, String device, String requestId) {
        publish(tenant, device, "inquiries/cancel/" + requestId, CloudEventTypes.INQUIRY_CANCEL, "", Map.of());
    }

    private static void publish(String tenant, String device, String topic, String type, String json,
            Map<String, String> headers) {
        Map<String, String> extra = new HashMap<>(headers);
        extra.put(CloudEventHeaders.MQTT_TOPIC, topic);
        extra.put(CloudEventHeaders.MQTT_QOS, "1");
        FakeBridge.send(Topics.INQUIRIES, tenant, device, json.getBytes(StandardCharsets.UTF_8),
                type, "application/json", extra);
    }

    /** The inquiry the device opened with this request id, once the service has it. */
    static JsonPath inquiry(String tenant, String device, String requestId) {
        return await(requestId + " stored").atMost(WITHIN).until(() -> as(tenant, "tenant-viewer")
                .queryParam("device", device).queryParam("requestId", requestId).get(inquiries(tenant))
                .then().statusCode(200).extract().jsonPath(), page -> page.getList("items").size() == 1)
                .setRootPath("items[0]");
    }

    static String awaitState(String tenant, String device, String requestId, String state) {
        return await(requestId + " " + state).atMost(WITHIN).until(() -> inquiry(tenant, device, requestId),
                inquiry -> state.equals(inquiry.getString("state"))).getString("id");
    }

    /** What the service published for the device in answer to this request id, in order. */
    static List<ConsumerRecord<String, byte[]>> answers(String tenant, String device, String requestId) {
        String prefix = "inquiries/response/" + requestId + "/";
        return OUTBOUND.keyedFrom(tenant + "/" + device).stream()
                .filter(r -> CloudEventTypes.OUTBOUND_INQUIRY_RESPONSE.equals(TopicTap.header(r, CloudEventHeaders.TYPE)))
                .filter(r -> TopicTap.header(r, CloudEventHeaders.MQTT_TOPIC).startsWith(prefix)).toList();
    }

    static List<ConsumerRecord<String, byte[]>> awaitAnswers(String tenant, String device, String requestId, int count) {
        return await(count + " answers to " + requestId).atMost(WITHIN)
                .until(() -> answers(tenant, device, requestId), answers -> answers.size() >= count);
    }

    /** {@code answer}, {@code last} or {@code error}: the last level of the answer's topic. */
    static String type(ConsumerRecord<String, byte[]> answer) {
        String topic = TopicTap.header(answer, CloudEventHeaders.MQTT_TOPIC);
        return topic.substring(topic.lastIndexOf('/') + 1);
    }

    static String text(ConsumerRecord<String, byte[]> answer) {
        return new String(answer.value(), StandardCharsets.UTF_8);
    }
}
