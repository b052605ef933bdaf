package io.outpost.notification;

import io.outpost.contracts.Audience;

/** Who a notification is for: one device, one group ({@code id} is its id), or the whole fleet ({@code id} null). */
public record Target(Audience audience, String id) {
    public static final Target FLEET = new Target(Audience.FLEET, null);

    public static Target device(String device) {
        return new Target(Audience.DEVICE, device);
    }

    public static Target group(String group) {
        return new Target(Audience.GROUP, group);
    }

    /** {@code device:{id}}, {@code group:{id}} or {@code fleet}, as the list filter writes it. */
    @Override
    public String toString() {
        return audience == Audience.FLEET ? "fleet" : audience.headerValue() + ":" + id;
    }

    /** The target written as {@link #toString()}, or null if it is not one. */
    public static Target parse(String text) {
        if ("fleet".equals(text)) {
            return FLEET;
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return null;
        }
        String id = text.substring(colon + 1);
        return switch (text.substring(0, colon)) {
            case "device" -> device(id);
            case "group" -> group(id);
            default -> null;
        };
    }
}
