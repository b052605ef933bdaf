package io.outpost.device;

import java.nio.charset.StandardCharsets;

/**
 * A command from the platform; answer it by returning a {@link CommandResult} from the {@link CommandHandler}.
 *
 * @param id          the command id (the same on a redelivered copy, which the SDK drops)
 * @param name        what to do, e.g. {@code unlock}
 * @param contentType the payload's media type, or null
 */
public record Command(String id, String name, byte[] payload, String contentType) {

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
