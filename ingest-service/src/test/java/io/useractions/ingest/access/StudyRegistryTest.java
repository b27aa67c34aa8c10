package io.useractions.ingest.access;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.useractions.ingest.access.StudySnapshot.Participant;
import io.useractions.ingest.access.StudySnapshot.State;
import io.useractions.ingest.access.StudySnapshot.Study;
import io.useractions.model.ApiError;
import io.useractions.model.WriteKey;

/** The registry's decisions over a snapshot, without servers. */
class StudyRegistryTest {
    private static final Study CONFIGURED = new Study("env", State.OPEN, List.of("https://env.example"),
            List.of(new WriteKey(WriteKey.hash("env-key"), Instant.EPOCH, null)));

    private static Study db(String id, State state, List<String> origins, WriteKey... keys) {
        return new Study(id, state, origins, List.of(keys));
    }

    private static WriteKey key(String key, Instant from, Instant until) {
        return new WriteKey(WriteKey.hash(key), from, until);
    }

    /** The answer to a batch the registry refuses. */
    private static ApiError refused(StudyRegistry registry, String study, String participant, String key) {
        return assertThrows(AccessDeniedException.class, () -> registry.check(study, participant, key, null)).answer();
    }

    @Test
    void configuredStudiesWorkWithoutTheDatabase() {
        StudyRegistry registry = new StudyRegistry(true, Map.of("env", CONFIGURED));
        assertDoesNotThrow(() -> registry.check("env", "p", "env-key", "https://env.example"));
        assertEquals("invalid_key", refused(registry, "env", "p", "other").error());
        assertEquals("unknown_study", refused(registry, "db", "p", "k").error());
        assertTrue(registry.isKnownOrigin("https://env.example"));
    }

    @Test
    void aSwapMakesDatabaseStudiesKnownAtOnceAndTheDatabaseWinsOverTheConfiguration() {
        StudyRegistry registry = new StudyRegistry(true, Map.of("env", CONFIGURED));
        StudySnapshot before = registry.snapshot();
        Instant now = Instant.now();
        registry.update(Map.of("db", db("db", State.OPEN, List.of("https://db.example"), key("db-key", now, null)),
                "env", db("env", State.OPEN, List.of(), key("env-db-key", now, null))), Set.of());
        assertFalse(before == registry.snapshot(), "a new snapshot, the old one untouched");
        assertEquals(1, before.studies().size());
        assertDoesNotThrow(() -> registry.check("db", "p", "db-key", "https://db.example"));
        assertTrue(registry.isKnownOrigin("https://db.example"));
        assertEquals("invalid_key", refused(registry, "env", "p", "env-key").error(), "the database's keys win");
        assertDoesNotThrow(() -> registry.check("env", "p", "env-db-key", null));
        assertFalse(registry.isKnownOrigin("https://env.example"), "and its origins");
    }

    @Test
    void bothKeysWorkDuringTheOverlapThenOnlyTheNewOne() {
        Instant now = Instant.now();
        StudyRegistry registry = new StudyRegistry(true, Map.of());
        registry.update(Map.of("s", db("s", State.OPEN, List.of(), key("old", now.minusSeconds(3600), now.plusSeconds(60)),
                key("new", now.minusSeconds(1), null))), Set.of());
        assertDoesNotThrow(() -> registry.check("s", "p", "old", null));
        assertDoesNotThrow(() -> registry.check("s", "p", "new", null));
        registry.update(Map.of("s", db("s", State.OPEN, List.of(), key("old", now.minusSeconds(3600), now.minusMillis(1)),
                key("new", now.minusSeconds(1), null))), Set.of());
        assertEquals("invalid_key", refused(registry, "s", "p", "old").error());
        assertDoesNotThrow(() -> registry.check("s", "p", "new", null));
    }

    @Test
    void closedAndDeletedStudiesAndWithdrawnParticipantsAre410NamingTheField() {
        Instant now = Instant.now();
        StudyRegistry registry = new StudyRegistry(true, Map.of());
        registry.update(Map.of("c", db("c", State.CLOSED, List.of(), key("k", now, null)),
                "d", db("d", State.DELETED, List.of(), key("k", now, null)),
                "o", db("o", State.OPEN, List.of(), key("k", now.minusSeconds(1), null))),
                Set.of(new Participant("o", "gone")));
        ApiError closed = refused(registry, "c", "p", "k");
        assertEquals(410, closed.status());
        assertEquals("study_closed", closed.error());
        assertEquals("study", closed.field());
        assertTrue(closed.message().contains("'c'"));
        assertEquals("study_deleted", refused(registry, "d", "p", null).error());
        ApiError withdrawn = refused(registry, "o", "gone", "k");
        assertEquals(410, withdrawn.status());
        assertEquals("participant_withdrawn", withdrawn.error());
        assertEquals("participant", withdrawn.field());
        assertDoesNotThrow(() -> registry.check("o", "stays", "k", null));
        assertEquals("invalid_key", refused(registry, "o", "gone", "wrong").error(), "the key is checked first");
    }

    @Test
    void withoutRequiredKeysStatesAndWithdrawalsStillApply() {
        StudyRegistry registry = new StudyRegistry(false, Map.of());
        registry.update(Map.of("c", db("c", State.CLOSED, List.of())), Set.of(new Participant("x", "gone")));
        assertDoesNotThrow(() -> registry.check("unknown", "p", null, "https://any.example"));
        assertEquals("study_closed", refused(registry, "c", "p", null).error());
        assertEquals("participant_withdrawn", refused(registry, "x", "gone", null).error());
    }

    @Test
    void theSnapshotIsImmutable() {
        StudySnapshot snapshot = StudySnapshot.merge(Map.of(), Map.of("s", CONFIGURED), Set.of());
        assertThrows(UnsupportedOperationException.class, () -> snapshot.studies().put("x", CONFIGURED));
        assertSame(snapshot.studies().get("s"), CONFIGURED);
    }
}
