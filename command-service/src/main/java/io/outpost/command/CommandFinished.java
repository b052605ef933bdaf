package io.outpost.command;

import io.outpost.contracts.CommandState;

/** Fired when a command reached a final state; observed after the commit (metrics, callers waiting for it). */
public record CommandFinished(String id, String tenant, CommandState state) {
}
