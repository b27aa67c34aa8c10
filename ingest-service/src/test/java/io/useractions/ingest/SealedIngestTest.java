package io.useractions.ingest;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.corpus.SampleBatches;
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
@TestProfile(LowLimitsAndSealing.class)
@WithTestResource(LocalInfraTestResource.class)
class SealedIngestTest {
    private static final String MASTER_KEY = LowLimitsAndSealing.MASTER_KEY;
    private static final String STUDY = LowLimitsAndSealing.SEALED_STUDY;
    private static final String TYPED = "xyzzy-typed-text";

    @BeforeAll
    static void createSealingTables() throws Exception {
        LowLimitsAndSealing.createSealingTables();
    }

    private static String batch(String participant, String session, List<UUID> ids) {
        return SampleBatches.batch(session, ids).replace("\"study\":\"demo\"", "\"study\":\"" + STUDY + "\"")
                .replace("\"participant\":\"p-001\"", "\"participant\":\"" + participant + "\"")
                .replace("\"url\":\"http://127.0.0.1:8090/\"", "\"url\":\"http://127.0.0.1:8090/" + TYPED + "\"");
    }

    /** The participant's key as a reader would find it: unwrapped from its row with the master key. */
    private static DataKey storedKey(String participant) throws SQLException {
        try (Connection c = LocalInfraTestResource.infra().postgres().connect();
                PreparedStatement query = c.prepareStatement("select key_id, wrapped_key from participant_key "
                        + "where study = ? and participant = ?")) {
            query.setString(1, STUDY);
            query.setString(2, participant);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return KeyWrapper.fromBase64(ParticipantKeys.MASTER_KEY_ID, MASTER_KEY).unwrap(rs.getBytes(2),
                        rs.getInt(1), STUDY, participant);
            }
        }
    }

    private static RequestSpecification sealedApi() {
        return RestAssured.given().queryParam("key", LowLimitsAndSealing.SEALED_KEY);
    }

    @Test
    void aBatchIsSealedWithTheKeyItsParticipantGetsWithTheFirstBatch() throws SQLException {
        String participant = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String session = UUID.randomUUID().toString();
        List<UUID> ids = SampleBatches.ids(4);
        sealedApi().contentType("application/json").body(batch(participant, session, ids.subList(0, 3)))
                .post("/v1/batches").then().statusCode(202).body("accepted", equalTo(3));
        sealedApi().contentType("application/json").body(batch(participant, session, ids.subList(3, 4)))
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
                        + "withdrawn_by) values (?, ?, 'test')")) {
            insert.setString(1, STUDY);
            insert.setString(2, participant);
            insert.executeUpdate();
        }
        sealedApi().contentType("application/json")
                .body(batch(participant, UUID.randomUUID().toString(), SampleBatches.ids(1)))
                .post("/v1/batches").then().statusCode(410).body("error", equalTo("participant_withdrawn"));
        assertEquals(null, storedKey(participant));
    }
}
