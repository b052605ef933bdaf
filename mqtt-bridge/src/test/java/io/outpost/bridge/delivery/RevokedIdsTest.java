package io.outpost.bridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RevokedIdsTest {
    private static final long NOW = 1_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long GRACE = RevokedIds.GRACE.toNanos();

    @Test
    void revokedIdIsRememberedUntilItsDeadlinePlusTheGrace() {
        RevokedIds revoked = new RevokedIds(10);

        revoked.revoke("acme", "n-1", NOW + 30 * SECOND, NOW);

        assertTrue(revoked.revoked("acme", "n-1", NOW));
        assertTrue(revoked.revoked("acme", "n-1", NOW + 30 * SECOND + GRACE - 1));
        assertFalse(revoked.revoked("acme", "n-1", NOW + 30 * SECOND + GRACE));
        assertEquals(0, revoked.size());
    }

    @Test
    void revocationIsPerTenant() {
        RevokedIds revoked = new RevokedIds(10);

        revoked.revoke("acme", "n-1", NOW + SECOND, NOW);

        assertFalse(revoked.revoked("other", "n-1", NOW));
        assertFalse(revoked.revoked("acme", "n-2", NOW));
    }

    @Test
    void revocationWhoseTimeHasEndedIsNotKept() {
        RevokedIds revoked = new RevokedIds(10);

        revoked.revoke("acme", "n-1", NOW - GRACE, NOW);

        assertFalse(revoked.revoked("acme", "n-1", NOW));
        assertEquals(0, revoked.size());
    }

    @Test
    void oneMoreThanTheCapacityForgetsTheIdWhoseTimeEndsFirst() {
        RevokedIds revoked = new RevokedIds(2);
        revoked.revoke("acme", "late", NOW + 300 * SECOND, NOW);
        revoked.revoke("acme", "soon", NOW + 10 * SECOND, NOW);

        revoked.revoke("acme", "middle", NOW + 60 * SECOND, NOW);

        assertEquals(2, revoked.size());
        assertFalse(revoked.revoked("acme", "soon", NOW));
        assertTrue(revoked.revoked("acme", "late", NOW));
        assertTrue(revoked.revoked("acme", "middle", NOW));
    }

    @Test
    void revokingAgainKeepsTheLaterDeadline() {
        RevokedIds revoked = new RevokedIds(10);
        revoked.revoke("acme", "n-1", NOW + 10 * SECOND, NOW);

        revoked.revoke("acme", "n-1", NOW + 100 * SECOND, NOW);
        revoked.revoke("acme", "n-1", NOW + 5 * SECOND, NOW);

        assertTrue(revoked.revoked("acme", "n-1", NOW + 50 * SECOND + GRACE));
        assertFalse(revoked.revoked("acme", "n-1", NOW + 100 * SECOND + GRACE));
        assertEquals(0, revoked.size());
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RevokedIds(0));
    }
}
