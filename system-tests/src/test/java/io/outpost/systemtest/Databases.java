package io.outpost.systemtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.outpost.testsupport.InProcessPostgres;

/** Empty databases on the in-process PostgreSQL server, one per service process under test. */
final class Databases {
    private Databases() {
    }

    /** Creates a database no other test uses and returns its JDBC URL. */
    static String create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        String serverUrl = InProcessPostgres.jdbcUrl();
        try (Connection connection = DriverManager.getConnection(serverUrl, InProcessPostgres.username(), "unused");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return serverUrl.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
    }
}
