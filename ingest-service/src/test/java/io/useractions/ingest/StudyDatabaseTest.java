package io.useractions.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.useractions.infra.LocalInfra;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.corpus.SampleBatches;
import io.useractions.model.WriteKey;

/**
 * Studies written to PostgreSQL (as the processor's admin API writes them) taken by the running service
 * within seconds, and kept through a database outage. The tables are the processor's migrations, run here.
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class StudyDatabaseTest {
    private static final Duration PICKED_UP = Duration.ofSeconds(5);

    @BeforeAll
    static void migrate() throws IOException, SQLException {
        try (Connection c = LocalInfraTestResource.infra().postgres().connect(); Statement statement = c.createStatement()) {
            ResultSet exists = statement.executeQuery("select to_regclass('study') is not null");
            exists.next();
            if (!exists.getBoolean(1)) {
                Path migrations = Path.of("..", "stream-processor", "src", "main", "resources", "db", "migration");
                statement.execute(Files.readString(migrations.resolve("V9__participant_withdrawal.sql")));
                statement.execute(Files.readString(migrations.resolve("V10__studies.sql")));
            }
        }
    }

    private static void sql(String sql, Object... args) throws SQLException {
        try (Connection c = LocalInfraTestResource.infra().postgres().connect();
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }

    /** A study registered in the database, open, with one key. */
    private static String register(String key) throws SQLException {
        String study = "db-" + UUID.randomUUID().toString().substring(0, 8);
        sql("insert into study (id, origins) values (?, '{https://db.example}')", study);
        sql("insert into study_key (study, key_hash) values (?, ?)", study, WriteKey.hash(key));
        return study;
    }

    private static Response post(String study, String participant, String key) {
        String body = SampleBatches.batch(UUID.randomUUID().toString(), SampleBatches.ids(1))
                .replace("\"study\":\"demo\"", "\"study\":\"" + study + "\"")
                .replace("\"participant\":\"p-001\"", "\"participant\":\"" + participant + "\"");
        return given().queryParam("key", key).contentType("application/json").body(body).post("/v1/batches");
    }

    private static void awaitStatus(String study, String participant, String key, int status) {
        await(study + " answered " + status).atMost(PICKED_UP).pollInterval(Duration.ofMillis(100))
                .until(() -> post(study, participant, key).statusCode() == status);
    }

    @Test
    void aStudyOfTheDatabaseIsTakenWithinSecondsThenClosedAndAParticipantWithdrawn() throws SQLException {
        String key = WriteKey.generate();
        String study = register(key);
        awaitStatus(study, "p-001", key, 202);
        post(study, "p-001", "wrong").then().statusCode(401).body("error", equalTo("invalid_key"));
        given().header("Origin", "https://db.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/batches").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://db.example");

        sql("insert into participant_withdrawal (study, participant, withdrawn_by) values (?, 'p-gone', 'test')", study);
        awaitStatus(study, "p-gone", key, 410);
        post(study, "p-gone", key).then().statusCode(410).body("error", equalTo("participant_withdrawn"))
                .body("field", equalTo("participant")).body("message", containsString(study));
        post(study, "p-001", key).then().statusCode(202);

        sql("update study set state = 'closed' where id = ?", study);
        awaitStatus(study, "p-001", key, 410);
        post(study, "p-001", key).then().statusCode(410).body("error", equalTo("study_closed"))
                .body("field", equalTo("study")).body("message", containsString("'" + study + "'"));
        sql("update study set state = 'open' where id = ?", study);
        awaitStatus(study, "p-001", key, 202);
    }

    @Test
    void theDatabaseWinsOverTheConfiguredStudyOfTheSameName() throws SQLException {
        String key = WriteKey.generate();
        try {
            sql("insert into study (id, state) values ('demo', 'closed')");
            sql("insert into study_key (study, key_hash) values ('demo', ?)", WriteKey.hash(key));
            awaitStatus("demo", "p-001", SampleBatches.KEY, 410);
        } finally {
            sql("delete from study_key where study = 'demo'");
            sql("delete from study where id = 'demo'");
        }
        awaitStatus("demo", "p-001", SampleBatches.KEY, 202);
    }

    @Test
    void aDatabaseOutageKeepsTheLastStudiesAndShowsInReadiness() throws SQLException {
        String key = WriteKey.generate();
        String study = register(key);
        awaitStatus(study, "p-001", key, 202);
        LocalInfra infra = LocalInfraTestResource.infra();
        infra.postgres().stop();
        try {
            await("readiness shows the database down").atMost(Duration.ofSeconds(15)).until(() -> given()
                    .get("/q/health/ready").then().extract().asString().contains("\"database\": \"down\""));
            given().get("/q/health/ready").then().statusCode(200);
            post(study, "p-001", key).then().statusCode(202);
        } finally {
            infra.postgres().start();
        }
        await("readiness shows the database up").atMost(Duration.ofSeconds(15)).until(() -> given()
                .get("/q/health/ready").then().extract().asString().contains("\"database\": \"up\""));
    }
}
