package io.outpost.rest;

import java.util.List;

/** The Outpost realm roles (docs/security.md), as Keycloak puts them in {@code realm_access.roles}. */
public final class Roles {
    /** Everything, on every tenant. */
    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String TENANT_ADMIN = "tenant-admin";
    public static final String TENANT_OPERATOR = "tenant-operator";
    public static final String TENANT_VIEWER = "tenant-viewer";

    /** All of them, strongest first. */
    public static final List<String> ALL = List.of(PLATFORM_ADMIN, TENANT_ADMIN, TENANT_OPERATOR, TENANT_VIEWER);

    private Roles() {
    }
}
