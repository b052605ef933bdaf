package io.outpost.command.service;

import java.util.Locale;
import java.util.Optional;

import io.outpost.contracts.CommandState;

/**
 * A device's reply topic, {@code commands/response/{commandId}[/{status}]} below {@code devices/{device}/} (the bridge
 * puts that part in {@code ce_mqtttopic}; the full topic is accepted too), and what its status means.
 *
 * @param status the last level as the device wrote it, or null
 */
public record ReplyTopic(String commandId, String status) {

    /** The reply's command and status, or empty if the topic is not a command response of this device. */
    public static Optional<ReplyTopic> parse(String topic, String device) {
        if (topic == null) {
            return Optional.empty();
        }
        String own = "devices/" + device + "/";
        String below = topic.startsWith(own) ? topic.substring(own.length()) : topic;
        String[] levels = below.split("/", -1);
        if (levels.length < 3 || levels.length > 4 || !levels[0].equals("commands") || !levels[1].equals("response")
                || levels[2].isEmpty() || levels.length == 4 && levels[3].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ReplyTopic(levels[2], levels.length == 4 ? levels[3] : null));
    }

    /**
     * SUCCEEDED for no status, {@code succeeded}, {@code success}, {@code ok} (any case) or an HTTP-style 2xx code;
     * FAILED for anything else ({@code failed}, {@code 500}, an unknown word): a device that did not say it succeeded has
     * not.
     */
    public CommandState outcome() {
        if (status == null) {
            return CommandState.SUCCEEDED;
        }
        String word = status.toLowerCase(Locale.ROOT);
        if (word.equals("succeeded") || word.equals("success") || word.equals("ok")) {
            return CommandState.SUCCEEDED;
        }
        if (word.length() == 3 && word.chars().allMatch(Character::isDigit) && word.charAt(0) == '2') {
            return CommandState.SUCCEEDED;
        }
        return CommandState.FAILED;
    }
}
