package io.useractions.ingest;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.infra.corpus.SampleBatches;
import io.useractions.model.Action;
import io.useractions.model.Limits;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;
import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.KeyWrapper;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.testing.TopicReader;

/**
 * The ingest seals each batch with its participant's data key, which it creates in PostgreSQL with their
 * first batch (wrapped by the master key), and creates none for a participant who withdrew.
 */
@QuarkusTest
@TestProfile(SealedIngestTest.Sealing.class)
@WithTestResource(LocalInfraTestResource.class)
class SealedIngestTest {
    private static final String MASTER_KEY = "dWFsLWxvY2FsLWRldi1tYXN0ZXIta2V5LTMyYnl0ZXM=";
    private static final String TYPED = "xyzzy-typed-text";

    public static class Sealing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ual.ingest.crypto.enabled", "true", "ual.ingest.crypto.master-key", MASTER_KEY,
                    "ual.ingest.crypto.key-cache-ttl", "1s");
        }
    }

    @BeforeAll
    static void migrate() throws IOException, SQLException {
        Path migrations = Path.of("..", "stream-processor", "src", "main", "resources", "db", "migration");
        try (Connection c = LocalInfraTestResource.infra().postgres().connect(); Statement statement = c.createStatement()) {
            for (String[] table : new String[][] { { "participant_withdrawal", "V9__participant_withdrawal.sql" },
                    { "study", "V10__studies.sql" }, { "participant_key", "V13__participant_key.sql" } }) {
                ResultSet exists = statement.executeQuery("select to_regclass('" + table[0] + "') is not null");
                exists.next();
                if (!exists.getBoolean(1)) {
                    statement.execute(Files.readString(migrations.resolve(table[1])));
                }
            }
        }
    }

    private static String batch(String participant, String session, List<UUID> ids) {
        return SampleBatches.batch(session, ids).replace("\"participant\":\"p-001\"", "\"participant\":\"" + participant + "\"")
                .replace("\"url\":\"http://127.0.0.1:8090/\"", "\"url\":\"http://127.0.0.1:8090/" + TYPED + "\"");
    }

    /** The participant's key as a reader would find it: unwrapped from its row with the master key. */
    private static DataKey storedKey(String participant) throws SQLException {
        try (Connection c = LocalInfraTestResource.infra().postgres().connect();
                PreparedStatement query = c.prepareStatement("select key_id, wrapped_key from participant_key "
                        + "where study = 'demo' and participant = ?")) {
            query.setString(1, participant);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return KeyWrapper.fromBase64(ParticipantKeys.MASTER_KEY_ID, MASTER_KEY).unwrap(rs.getBytes(2),
                        rs.getInt(1), "demo", participant);
            }
        }
    }

    @Test
    void aBatchIsSealedWithTheKeyItsParticipantGetsWithTheFirstBatch() throws SQLException {
        String participant = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String session = UUID.randomUUID().toString();
        List<UUID> ids = SampleBatches.ids(4);
        TestBatches.api().contentType("application/json").body(batch(participant, session, ids.subList(0, 3)))
                .post("/v1/batches").then().statusCode(202).body("accepted", equalTo(3));
        TestBatches.api().contentType("application/json").body(batch(participant, session, ids.subList(3, 4)))
                .post("/v1/batches").then().statusCode(202).body("accepted", equalTo(1));

        List<ConsumerRecord<String, byte[]>> records = await("both records").atMost(Duration.ofSeconds(10)).until(
                () -> TopicReader.of(LocalInfraTestResource.infra().kafkaClientConfig()).toEnd(Topics.RAW).stream()
                        .filter(record -> session.equals(record.key())).toList(),
                found -> found.size() >= 2);
        DataKey key = storedKey(participant);
        assertEquals(ParticipantKeys.FIRST_KEY_ID, key.id());
        List<UUID> read = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            assertTrue(SealedRecords.isSealed(record.value()));
            assertEquals(RecordHeaders.SCHEMA_SEALED, new String(record.headers().lastHeader(RecordHeaders.SCHEMA)
                    .value(), StandardCharsets.UTF_8));
            assertFalse(new String(record.value(), StandardCharsets.ISO_8859_1).contains(TYPED),
                    "nothing of the payload in clear");
            assertEquals(participant, SealedRecords.envelope(record.value()).participant());
            RawRecord raw = RawRecords.decode(SealedRecords.open(record.value(), key), Limits.DEFAULT);
            assertEquals(session, raw.session());
            raw.actions().stream().map(Action::id).forEach(read::add);
        }
        assertEquals(ids, read, "both batches sealed with the one key made with the first");
        assertArrayEquals(key.bytes(), storedKey(participant).bytes());
    }

    @Test
    void noKeyIsMadeForAParticipantWhoWithdrew() throws SQLException {
        String participant = "p-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = LocalInfraTestResource.infra().postgres().connect();
                PreparedStatement insert = c.prepareStatement("insert into participant_withdrawal (study, participant, "
                        + "withdrawn_by) values ('demo', ?, 'test')")) {
            insert.setString(1, participant);
            insert.executeUpdate();
        }
        TestBatches.api().contentType("application/json")
                .body(batch(participant, UUID.randomUUID().toString(), SampleBatches.ids(1)))
                .post("/v1/batches").then().statusCode(410).body("error", equalTo("participant_withdrawn"));
        assertEquals(null, storedKey(participant));
    }
}
