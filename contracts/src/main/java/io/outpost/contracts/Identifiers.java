package io.outpost.contracts;

/** Shapes of identifiers (ARCHITECTURE.md, "Identity"), as regular expressions for every module to validate against. */
public final class Identifiers {
    /** A tenant id. */
    public static final String TENANT_ID = "[a-z0-9][a-z0-9-]{0,62}";
    /** A device id, unique within its tenant. */
    public static final String DEVICE_ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    /** Separates tenant and device in a Kafka record key ({@code {tenant}/{device}}). */
    public static final char KEY_SEPARATOR = '/';
    /** Separates device and tenant in an MQTT username ({@code {device}@{tenant}}). */
    public static final char USERNAME_SEPARATOR = '@';

    private Identifiers() {
    }
}
