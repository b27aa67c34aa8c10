package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.testing.TestDirs;

class PostgresTest {

    private static Postgres postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = new Postgres(TestDirs.fresh("postgres").resolve("data"), 0).start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.stop();
    }

    @Test
    void applicationRoleCreatesTableAndRowsSurviveRestart() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "ual", "ual");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE survivor (id int PRIMARY KEY, note text)");
            st.execute("INSERT INTO survivor VALUES (1, 'written before the restart')");
        }

        postgres.stop();
        assertFalse(postgres.isRunning());
        postgres.start();

        try (Connection c = postgres.connect();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note, current_user, current_database() FROM survivor WHERE id = 1")) {
            assertTrue(rs.next());
            assertEquals("written before the restart", rs.getString(1));
            assertEquals("ual", rs.getString(2));
            assertEquals("ual", rs.getString(3));
        }
    }

    @Test
    void keepsDurabilitySettingsOn() throws Exception {
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            assertEquals("on", show(st, "fsync"));
            assertEquals("on", show(st, "synchronous_commit"));
            assertEquals("512MB", show(st, "shared_buffers"));
            assertEquals("100", show(st, "max_connections"));
            assertEquals("127.0.0.1", show(st, "listen_addresses"));
            assertTrue(show(st, "server_version").startsWith("16."));
        }
        assertEquals("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/ual", postgres.jdbcUrl());
    }

    @Test
    void comparesTextByBytesAndKeepsTheClustersCharacterClasses() throws Exception {
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT datcollate, datctype, pg_encoding_to_char(encoding), "
                    + "upper('é'), 'B' < 'a' FROM pg_database WHERE datname = current_database()")) {
                assertTrue(rs.next());
                assertEquals("C", rs.getString(1));
                String ctype = rs.getString(2);
                assertEquals("UTF8", rs.getString(3));
                // Byte order: upper case before lower case, as no locale's collation sorts them.
                assertTrue(rs.getBoolean(5));
                if (!"C".equals(ctype) && !"POSIX".equals(ctype)) {
                    assertEquals("É", rs.getString(4), "character classes of " + ctype);
                }
            }
        }
    }

    private static String show(Statement st, String setting) throws Exception {
        try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
