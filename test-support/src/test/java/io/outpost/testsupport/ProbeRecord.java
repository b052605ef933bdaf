package io.outpost.testsupport;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Entity;

/** A throwaway entity that proves Panache reaches the in-process PostgreSQL. */
@Entity
public class ProbeRecord extends PanacheEntity {
    public String name;
    public Instant createdAt;
}
