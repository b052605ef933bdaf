package io.outpost.command;

import static io.outpost.command.Api.commands;
import static io.outpost.command.Api.operator;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Many callers at once share group commits: each still gets its own, right answer. The test mailbox bound is 5.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class ConcurrentSendTest {
    private static final int CALLERS = 64;
    private static final int DEVICES = 8;
    private static final int PER_DEVICE = 8;

    @Inject
    DeviceDirectory directory;
    @Inject
    DataSource dataSource;

    @Test
    void concurrentPostsKeepTheBoundIdempotencyAndPerDeviceOrder() throws Exception {
        // given 8 online devices, one of them disabled, and 64 callers ready at once: 8 POSTs per device, two pairs of them
        // sharing an Idempotency-Key, one pair of those with different bodies
        Tap.outbound();
        String tenant = Api.newTenant();
        for (int d = 0; d < DEVICES; d++) {
            Api.device(directory, tenant, "dev-" + d, d != 7);
            Api.online(dataSource, tenant, "dev-" + d);
        }
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Response>> posts = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
            for (int n = 0; n < PER_DEVICE; n++) {
                String device = "dev-" + d;
                String key = n < 2 ? "same-key" : n < 4 ? "other-key" : null;
                String name = n == 3 ? "different" : "cmd";
                posts.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    var request = operator(tenant).body(Map.of("name", name));
                    if (key != null) {
                        request = request.header("Idempotency-Key", key);
                    }
                    return request.post(commands(tenant, device));
                }, callers));
            }
        }
        // when they all POST at once
        go.countDown();
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get();
        callers.shutdown();
        // then per enabled device the bound let exactly 5 distinct commands in, the rest got 429; the "same-key" pair
        // got one answer (one command); of the "other-key" pair with different bodies at most one got 409
        for (int d = 0; d < DEVICES; d++) {
            List<Response> answers = posts.subList(d * PER_DEVICE, (d + 1) * PER_DEVICE).stream()
                    .map(CompletableFuture::join).toList();
            List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
            if (d == 7) {
                assertEquals(Collections.nCopies(PER_DEVICE, 409), statuses, "disabled device");
                continue;
            }
            Set<String> accepted = new HashSet<>();
            answers.stream().filter(a -> a.statusCode() == 202).forEach(a -> accepted.add(a.path("id")));
            assertEquals(5, accepted.size(), "distinct commands accepted on dev-" + d + ": " + statuses);
            assertEquals(statuses.get(0), statuses.get(1), "same key, same answer: " + statuses);
            if (statuses.get(0) == 202) {
                assertEquals(answers.get(0).path("id").toString(), answers.get(1).path("id").toString());
            }
            assertEquals(true, statuses.subList(4, PER_DEVICE).stream().allMatch(s -> s == 202 || s == 429)
                    && statuses.stream().filter(s -> s == 409).count() <= 1
                    && statuses.stream().allMatch(s -> s == 202 || s == 409 || s == 429), "statuses " + statuses);
        }
        // and each device's commands went out in creation order
        for (int d = 0; d < 7; d++) {
            String device = "dev-" + d;
            List<Response> accepted = posts.subList(d * PER_DEVICE, (d + 1) * PER_DEVICE).stream()
                    .map(CompletableFuture::join).filter(a -> a.statusCode() == 202).toList();
            List<String> byCreation = accepted.stream()
                    .sorted(Comparator.comparing((Response a) -> a.path("createdAt").toString())
                            .thenComparing(a -> a.path("id").toString()))
                    .map(a -> a.path("id").toString()).distinct().toList();
            Await.until("5 commands of " + device + " published", () -> Tap.outbound().ids(tenant, device).size() >= 5);
            assertEquals(byCreation, Tap.outbound().ids(tenant, device));
        }
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
