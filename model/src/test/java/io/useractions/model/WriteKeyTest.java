package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class WriteKeyTest {
    private static final Instant T0 = Instant.parse("2026-12-03T06:00:00Z");

    @Test
    void aKeyWorksFromItsStartUntilJustBeforeItsEnd() {
        WriteKey key = new WriteKey("h", T0, T0.plusSeconds(60));
        assertFalse(key.validAt(T0.minusMillis(1)));
        assertTrue(key.validAt(T0));
        assertTrue(key.validAt(T0.plusSeconds(59)));
        assertFalse(key.validAt(T0.plusSeconds(60)));
    }

    @Test
    void aKeyWithoutEndWorksForEver() {
        assertTrue(new WriteKey("h", T0, null).validAt(T0.plus(Duration.ofDays(3650))));
    }

    @Test
    void rotationKeepsTheOldKeyForTheOverlapThenOnlyTheNewOne() {
        WriteKey old = new WriteKey("old", T0, null);
        Instant rotation = T0.plusSeconds(3600);
        WriteKey retired = old.rotatedOut(rotation, Duration.ofMinutes(10));
        WriteKey fresh = new WriteKey("new", rotation, null);
        Instant during = rotation.plusSeconds(599);
        Instant after = rotation.plusSeconds(600);
        assertTrue(retired.validAt(during) && fresh.validAt(during), "both keys work during the overlap");
        assertFalse(retired.validAt(after), "the old key stops at the end of the overlap");
        assertTrue(fresh.validAt(after));
    }

    @Test
    void rotationNeverExtendsAKeyThatEndsSooner() {
        WriteKey ending = new WriteKey("h", T0, T0.plusSeconds(30));
        assertSame(ending, ending.rotatedOut(T0, Duration.ofHours(1)));
        assertEquals(T0, new WriteKey("h", T0, null).rotatedOut(T0, Duration.ZERO).validUntil());
        assertFalse(new WriteKey("h", T0, null).rotatedOut(T0, Duration.ZERO).validAt(T0), "no overlap: gone at once");
    }

    @Test
    void keysAreRandomAndStoredOnlyAsTheirHash() {
        String key = WriteKey.generate();
        assertEquals(43, key.length());
        assertNotEquals(key, WriteKey.generate());
        assertEquals(64, WriteKey.hash(key).length());
        assertEquals("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", WriteKey.hash("foo"));
    }

    @Test
    void studyIdsFollowTheWireFormat() {
        assertTrue(StudyIds.valid("study-1.a_b"));
        assertFalse(StudyIds.valid("-x"));
        assertFalse(StudyIds.valid(""));
        assertFalse(StudyIds.valid("a b"));
        assertFalse(StudyIds.valid("x".repeat(65)));
    }
}
