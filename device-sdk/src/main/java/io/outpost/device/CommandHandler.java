package io.outpost.device;

/** Runs a command and returns what to answer; an exception is answered as {@code failed} with its message. */
@FunctionalInterface
public interface CommandHandler {
    CommandResult handle(Command command) throws Exception;
}
