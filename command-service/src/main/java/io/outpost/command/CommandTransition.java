package io.outpost.command;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.outpost.contracts.CommandState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One step of a command's history; the n-th is also the n-th event on {@code outpost.command-events.v1}. */
@Entity
@Table(name = "command_transition")
@IdClass(CommandTransition.Key.class)
public class CommandTransition extends PanacheEntityBase {
    @Id
    @Column(name = "command_id")
    public String commandId;
    @Id
    public int n;
    @Enumerated(EnumType.STRING)
    @Column(name = "from_state")
    public CommandState fromState;
    @Enumerated(EnumType.STRING)
    @Column(name = "to_state")
    public CommandState toState;
    public Instant at;
    public String reason;

    public static List<CommandTransition> of(String commandId) {
        return list("commandId = ?1 order by n", commandId);
    }

    /** The primary key: command and position in its history. */
    public static class Key implements Serializable {
        public String commandId;
        public int n;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && n == key.n && Objects.equals(commandId, key.commandId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(commandId, n);
        }
    }
}
