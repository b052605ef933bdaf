package io.outpost.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseOutagesTest {

    @ParameterizedTest
    @ValueSource(strings = { "08001", "08006", "08003", "57P01", "57P02", "57P03", "53300" })
    void connectionAndShutdownStatesAreOutages(String state) {
        assertTrue(DatabaseOutages.isOutage(new SQLException("down", state)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "23505", "23503", "42P01", "22P02", "40001" })
    void failuresOfTheWorkItselfAreNot(String state) {
        assertFalse(DatabaseOutages.isOutage(new SQLException("bad", state)));
    }

    @Test
    void theCauseChainIsSearched() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5433 refused", "08001");
        assertTrue(DatabaseOutages.isOutage(new IllegalStateException("wrapped", new RuntimeException(refused))));
        assertFalse(DatabaseOutages.isOutage(new IllegalStateException("no SQL at all")));
    }

    @Test
    void aPoolTimeoutAndRecoverableExceptionsAreOutages() {
        assertTrue(DatabaseOutages.isOutage(new SQLException("Sorry, acquisition timeout!")));
        assertTrue(DatabaseOutages.isOutage(new SQLRecoverableException("gone")));
        assertFalse(DatabaseOutages.isOutage(new SQLException("no state")));
    }
}
