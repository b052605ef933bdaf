package io.outpost.inquiry.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.InquiryAnswerType;
import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.mailbox.Clock;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Calls tenants' webhooks, signed ({@link WebhookSignature}), and applies what they answer: a 2xx with a body is the
 * answer (a continuing inquiry's first one), a 2xx without one means the answer comes later over REST, anything else
 * and a timeout fail the inquiry with an error answer. A call is marked due again before it is made, so if this node
 * dies before the response was applied another node calls again (at least once: the body carries the inquiry id).
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** Response header a webhook may set to say what its body is: {@code answer}, {@code last} or {@code error}. */
    public static final String ANSWER_TYPE_HEADER = "Outpost-Answer-Type";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final long BODY_GRACE_MILLIS = 1000;

    @Inject
    InquiryLifecycle lifecycle;
    @Inject
    MeterRegistry metrics;
    @Inject
    InquiryConfig config;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /** Responses are applied here, in transactions, not on the HTTP client's threads. */
    private final ExecutorService appliers = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "inquiry-webhook-results");
        thread.setDaemon(true);
        return thread;
    });

    @PreDestroy
    void stop() {
        appliers.shutdown();
    }

    /** Sends the call; returns when its outcome was applied (tests and shutdown wait on it, callers need not). */
    public CompletableFuture<Void> dispatch(WebhookCall call) {
        byte[] body = call.body();
        HttpRequest request = HttpRequest.newBuilder(URI.create(call.url())).timeout(call.timeout())
                .header("Content-Type", "application/json")
                .header("Outpost-Inquiry-Id", call.inquiryId())
                .header(WebhookSignature.HEADER, WebhookSignature.header(call.secret(), Clock.now().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long started = System.nanoTime();
        // The request's timeout bounds the wait for the response's headers; this bounds the body too.
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(call.timeout().toMillis() + BODY_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                .handleAsync((response, error) -> {
                    metrics.timer("outpost.inquiry.webhook.calls", "outcome", outcome(response, error))
                            .record(Duration.ofNanos(System.nanoTime() - started));
                    if (call.expectsAnswer()) {
                        apply(call, response, error);
                    } else if (error != null) {
                        LOG.debugf("telling the webhook of %s failed: %s", call.inquiryId(), error.toString());
                    }
                    return null;
                }, appliers);
    }

    private void apply(WebhookCall call, HttpResponse<byte[]> response, Throwable error) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Inquiry found = Inquiry.findById(call.inquiryId());
                if (found == null) {
                    return;
                }
                Inquiry inquiry = lifecycle.lock(found);
                if (!inquiry.state.live() || inquiry.dispatchDueAt == null) {
                    return;
                }
                inquiry.dispatchDueAt = null;
                Instant now = Clock.now();
                if (error != null) {
                    lifecycle.fail(inquiry, now, "Handler unreachable", failure(error, call.timeout()));
                } else if (response.statusCode() / 100 != 2) {
                    lifecycle.fail(inquiry, now, "Handler failed", "the webhook answered HTTP " + response.statusCode());
                } else if (response.body().length > config.maxPayloadBytes()) {
                    lifecycle.fail(inquiry, now, "Handler failed", "the webhook's answer has " + response.body().length
                            + " bytes, more than " + config.maxPayloadBytes());
                } else if (response.body().length > 0 && lifecycle.hasRoom(inquiry, "webhook")) {
                    lifecycle.answer(inquiry, new Answer(answerType(response), response.headers()
                            .firstValue("Content-Type").orElse(OCTET_STREAM), response.body(), null, null, "webhook"), now);
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "applying the webhook's answer to %s failed; the call is made again when it is due",
                    call.inquiryId());
        }
    }

    private static InquiryAnswerType answerType(HttpResponse<byte[]> response) {
        return response.headers().firstValue(ANSWER_TYPE_HEADER).map(InquiryAnswerType::fromLevel)
                .orElse(InquiryAnswerType.ANSWER);
    }

    private static String failure(Throwable error, Duration timeout) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return cause instanceof HttpTimeoutException || cause instanceof TimeoutException
                ? "the webhook did not answer within " + timeout
                : "the webhook could not be called: " + cause.getClass().getSimpleName();
    }

    private static String outcome(HttpResponse<byte[]> response, Throwable error) {
        return error != null ? "error" : Integer.toString(response.statusCode() / 100) + "xx";
    }
}
