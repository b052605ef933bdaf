package io.outpost.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class NotificationDispatcherTest {
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final CountDownLatch lastHandled = new CountDownLatch(1);

    @Test
    void everyMatchingHandlerGetsTheNotificationInTheOrderTheyWereAdded() throws InterruptedException {
        NotificationDispatcher dispatcher = dispatcher(
                route("alerts/#", "all-alerts"), route("news", "news"), route("+/fire", "fires"), lastRoute());

        dispatcher.dispatch(notification("n-1", "alerts/fire"));
        dispatcher.dispatch(notification("n-2", "news"));
        dispatcher.dispatch(notification("n-3", "weather/today"));
        dispatcher.dispatch(notification("n-4", "last"));

        assertTrue(lastHandled.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("all-alerts:n-1", "fires:n-1", "news:n-2", "last:n-4"), handled,
                "n-3 matches no filter and is dropped");
        dispatcher.close();
    }

    @Test
    void aHandlerThatThrowsStopsNeitherTheOtherHandlersNorLaterNotifications() throws InterruptedException {
        NotificationDispatcher dispatcher = dispatcher(
                new NotificationDispatcher.Route(TopicFilter.of("#"), notification -> {
                    throw new IllegalStateException("display broken");
                }),
                route("alerts/#", "alerts"), lastRoute());

        dispatcher.dispatch(notification("n-1", "alerts/fire"));
        dispatcher.dispatch(notification("n-2", "alerts/flood"));
        dispatcher.dispatch(notification("n-3", "last"));

        assertTrue(lastHandled.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("alerts:n-1", "alerts:n-2", "last:n-3"), handled);
        dispatcher.close();
    }

    @Test
    void theExpiryIsTheArrivalPlusWhatWasLeft() {
        Instant arrival = Instant.parse("2026-11-30T12:00:00Z");
        Notification notification = new Notification("n-1", "air/alert", new byte[0], null, Duration.ofSeconds(90),
                arrival);
        assertEquals(Instant.parse("2026-11-30T12:01:30Z"), notification.expiresAt().orElseThrow());
        assertTrue(new Notification("n-2", "air/alert", new byte[0], null, null, arrival).expiresAt().isEmpty());
    }

    private static NotificationDispatcher dispatcher(NotificationDispatcher.Route... routes) {
        return new NotificationDispatcher("test-device", List.of(routes));
    }

    private NotificationDispatcher.Route route(String filter, String name) {
        return new NotificationDispatcher.Route(TopicFilter.of(filter),
                notification -> handled.add(name + ":" + notification.id()));
    }

    private NotificationDispatcher.Route lastRoute() {
        return new NotificationDispatcher.Route(TopicFilter.of("last"), notification -> {
            handled.add("last:" + notification.id());
            lastHandled.countDown();
        });
    }

    private static Notification notification(String id, String topic) {
        return new Notification(id, topic, new byte[0], "application/json", Duration.ofSeconds(60), Instant.now());
    }
}
