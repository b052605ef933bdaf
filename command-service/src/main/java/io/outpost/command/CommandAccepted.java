package io.outpost.command;

/** Fired when a command was stored; observed after the commit (metrics). */
public record CommandAccepted(String id, String tenant) {
}
