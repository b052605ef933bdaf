package io.outpost.device;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands each notification to every handler whose filter matches its topic, in registration order, one notification
 * at a time in arrival order, on the device's notification thread: a slow handler must not stall the MQTT client's
 * I/O thread, which also answers keep-alives. A handler that throws is logged and the others still run.
 */
final class NotificationDispatcher {
    private static final System.Logger LOG = System.getLogger(NotificationDispatcher.class.getName());

    /** A handler and the filter of the topics it handles. */
    record Route(TopicFilter filter, NotificationHandler handler) {
    }

    private final List<Route> routes;
    private final ExecutorService runner;

    NotificationDispatcher(String device, List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "outpost-notifications-" + device);
            thread.setDaemon(true);
            return thread;
        });
    }

    boolean isEmpty() {
        return routes.isEmpty();
    }

    void dispatch(Notification notification) {
        try {
            runner.execute(() -> deliver(notification));
        } catch (RejectedExecutionException closed) {
            LOG.log(System.Logger.Level.DEBUG, "device closed, notification {0} not handled", notification.id());
        }
    }

    void close() {
        runner.shutdown();
    }

    private void deliver(Notification notification) {
        boolean handled = false;
        for (Route route : routes) {
            if (route.filter().matches(notification.topic())) {
                handled = true;
                try {
                    route.handler().handle(notification);
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "notification handler for " + route.filter() + " failed on "
                            + notification.id() + " (" + notification.topic() + ")", e);
                }
            }
        }
        if (!handled) {
            LOG.log(System.Logger.Level.DEBUG, "no handler for notification topic {0}", notification.topic());
        }
    }
}
