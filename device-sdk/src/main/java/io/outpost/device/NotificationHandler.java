package io.outpost.device;

/**
 * Handles the notifications whose topic matches the filter it was registered with. An exception is logged; the
 * device, the other handlers and later notifications carry on, and the notification is not delivered again.
 */
@FunctionalInterface
public interface NotificationHandler {
    void handle(Notification notification) throws Exception;
}
