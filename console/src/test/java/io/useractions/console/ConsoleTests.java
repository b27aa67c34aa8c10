package io.useractions.console;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.restassured.specification.RequestSpecification;
import io.useractions.research.export.Migrations;
import io.useractions.research.quality.StudyQuality;
import io.useractions.testing.AdminLogin;

/** What the console's tests share: the admin's requests and their own rows in the pipeline's tables. */
final class ConsoleTests {
    private ConsoleTests() {
    }

    interface Rows {
        void write(Statement s) throws SQLException;
    }

    /** A request with the admin login. */
    static RequestSpecification admin() {
        return given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD);
    }

    /**
     * Replaces a study's rows in ui_action and mouse_position by a test's, under an advisory lock that every
     * console test takes, so that one migrates the database (when no processor has) and none reads another's
     * half-written rows.
     */
    static void replaceRows(DataSource dataSource, String study, Rows rows) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("select pg_advisory_lock(7070)");
            try {
                if (!c.getMetaData().getTables(null, null, "ui_action", null).next()) {
                    Migrations.apply(c, Migrations.DEFAULT_DIR);
                }
                s.execute("delete from mouse_position where study = '" + study + "'");
                s.execute("delete from ui_action where study = '" + study + "'");
                rows.write(s);
                StudyQuality.rebuild(c, study);
            } finally {
                s.execute("select pg_advisory_unlock(7070)");
            }
        }
    }
}
