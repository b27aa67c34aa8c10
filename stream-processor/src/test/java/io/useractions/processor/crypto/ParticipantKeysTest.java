package io.useractions.processor.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.KeyWrapper;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.processor.TestSupport;
import io.useractions.processor.config.ProcessorConfig;

/** The participants' data keys in PostgreSQL: made once, never for a withdrawn participant, cached for the TTL only. */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class ParticipantKeysTest {
    @Inject
    DataSource dataSource;
    @Inject
    ProcessorConfig config;

    private final String study = "keys-" + UUID.randomUUID().toString().substring(0, 8);

    private ParticipantKeys keys(Duration ttl) {
        return new ParticipantKeys(dataSource, KeyWrapper.fromBase64(ParticipantKeys.MASTER_KEY_ID,
                config.crypto().masterKey()), ttl);
    }

    private void sql(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aKeyIsMadeOnceEvenWhenItWasRememberedMissing() {
        ParticipantKeys reader = keys(Duration.ofMinutes(1));
        assertNull(reader.current(study, "p-1"), "no key yet");
        DataKey made = reader.currentOrCreate(study, "p-1");
        assertNotNull(made, "made although remembered missing");
        DataKey again = keys(Duration.ofMinutes(1)).currentOrCreate(study, "p-1");
        assertArrayEquals(made.bytes(), again.bytes(), "one key per participant, whoever asks");
        assertArrayEquals(made.bytes(), reader.find(study, "p-1", made.id()).bytes());
        assertEquals(1, TestSupport.count(dataSource, "select count(*) from participant_key where study = ?", study));
    }

    @Test
    void noKeyIsMadeForAWithdrawnParticipantOrADeletedStudy() {
        sql("insert into participant_withdrawal (study, participant, withdrawn_by) values (?, 'p-gone', 'test')", study);
        assertNull(keys(Duration.ofMinutes(1)).currentOrCreate(study, "p-gone"));
        String deleted = study + "-deleted";
        sql("insert into participant_withdrawal (study, participant, withdrawn_by) values (?, '', 'test')", deleted);
        assertNull(keys(Duration.ofMinutes(1)).currentOrCreate(deleted, "p-any"));
        assertEquals(0, TestSupport.count(dataSource, "select count(*) from participant_key where study in (?, ?)",
                study, deleted));
    }

    @Test
    void aDeletedKeyIsGoneForAReaderOnceItsTtlHasPassed() throws InterruptedException {
        ParticipantKeys reader = keys(Duration.ofMillis(300));
        DataKey key = reader.currentOrCreate(study, "p-2");
        sql("delete from participant_key where study = ? and participant = 'p-2'", study);
        assertNotNull(reader.find(study, "p-2", key.id()), "still cached within the TTL");
        Thread.sleep(400);
        assertNull(reader.find(study, "p-2", key.id()), "gone after it");
        assertNull(reader.current(study, "p-2"));
    }
}
