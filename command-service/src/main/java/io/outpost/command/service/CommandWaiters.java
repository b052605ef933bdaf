package io.outpost.command.service;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import io.outpost.command.CommandFinished;

/**
 * Requests of this instance waiting ({@code ?wait=}) for a command to reach a final state. Nothing polls: a wait is a
 * future completed by the state-change path, either here after the commit of the transition, or, when another instance
 * made it, by {@link io.outpost.command.messaging.CommandEventFollower} reading the command's event.
 */
@ApplicationScoped
public class CommandWaiters {
    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    /** A future completed when the command reaches a final state; {@link #release} it when done waiting. */
    public CompletableFuture<Void> register(String commandId) {
        CompletableFuture<Void> signal = new CompletableFuture<>();
        waiting.computeIfAbsent(commandId, id -> ConcurrentHashMap.newKeySet()).add(signal);
        return signal;
    }

    public void release(String commandId, CompletableFuture<Void> signal) {
        waiting.computeIfPresent(commandId, (id, signals) -> {
            signals.remove(signal);
            return signals.isEmpty() ? null : signals;
        });
    }

    public boolean waitingFor(String commandId) {
        return waiting.containsKey(commandId);
    }

    /** The command reached a final state: every waiter goes on. */
    public void finished(String commandId) {
        Set<CompletableFuture<Void>> signals = waiting.remove(commandId);
        if (signals != null) {
            signals.forEach(signal -> signal.complete(null));
        }
    }

    public int size() {
        return waiting.size();
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) CommandFinished finished) {
        finished(finished.id());
    }
}
