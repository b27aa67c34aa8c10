package io.useractions.processor.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.useractions.model.Limits;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;
import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.RecordBinding;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.withdrawal.Withdrawn;

/**
 * The topology over sealed raw records: routed still sealed, session state and rows sealed with the
 * participant's key, and once the key is gone, nothing of theirs read, routed, stored or dead-lettered.
 */
class SealedTopologyTest {
    private static final long T0 = 1_764_412_800_000L;
    private static final String TYPED = "xyzzy-typed-by-p1";

    /** The key store: a map from participant to key, from which a test deletes a key to withdraw them. */
    private final Map<String, DataKey> keys = new ConcurrentHashMap<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final SealedRecords.Keys source = new SealedRecords.Keys() {
        @Override
        public DataKey find(String study, String participant, int keyId) {
            DataKey key = keys.get(study + "/" + participant);
            return key != null && key.id() == keyId ? key : null;
        }

        @Override
        public DataKey current(String study, String participant) {
            return keys.get(study + "/" + participant);
        }
    };
    private TopologyRig rig;

    @BeforeEach
    void setUp() {
        keys.put("st/p-1", DataKey.generate(1));
        keys.put("st/p-2", DataKey.generate(1));
        rig = new TopologyRig(ProjectionTopology.build(Topics.RAW, Topics.PROJECTION, Topics.DEAD_LETTER,
                Limits.DEFAULT, TopologyRig.SESSIONS, () -> Withdrawn.NONE, new Sealing(source, true),
                new ProjectionTopology.Listener() {
                    @Override
                    public void withdrawnDropped(int actions) {
                        dropped.incrementAndGet();
                    }
                }), Instant.ofEpochMilli(T0));
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private static byte[] record(String participant, String session, String... types) {
        StringBuilder actions = new StringBuilder();
        for (String type : types) {
            long seq = Long.parseLong(type.substring(0, type.indexOf(':')));
            actions.append(actions.isEmpty() ? "" : ",").append(("{\"id\":\"%s\",\"seq\":%d,\"type\":\"%s\",\"t\":%d,"
                    + "\"data\":{\"value\":\"%s\"}}").formatted(UUID.randomUUID(), seq,
                            type.substring(type.indexOf(':') + 1), T0 + seq, TYPED));
        }
        return """
                {"v":2,"study":"st","participant":"%s","session":"%s","sent_at":%d,"received_at":%d,"actions":[%s]}"""
                .formatted(participant, session, T0, T0, actions).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] sealed(String participant, String session, String... types) {
        return SealedRecords.seal(keys.get("st/" + participant), new RecordBinding("st", participant, session),
                record(participant, session, types));
    }

    private static boolean holds(byte[] value, String text) {
        return new String(value, StandardCharsets.ISO_8859_1).contains(text);
    }

    private static String table(TestRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(RecordHeaders.TABLE);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aSealedRecordIsRoutedStillSealedAndItsSessionRowsAndStateAreSealedToo() {
        byte[] value = sealed("p-1", "s-1", "1:trial:start", "2:trial:end");
        rig.raw.pipeInput("s-1", value);
        rig.driver.advanceWallClockTime(Duration.ofSeconds(6));

        List<TestRecord<String, byte[]>> out = rig.projection.readRecordsToList();
        assertEquals(List.of("raw", "trial", "session_summary"),
                out.stream().map(r -> table(r) == null ? "raw" : table(r)).toList());
        assertArrayEquals(value, out.get(0).value(), "forwarded byte for byte, still sealed");
        for (TestRecord<String, byte[]> row : out.subList(1, 3)) {
            assertTrue(SealedRecords.isSealed(row.value()), table(row) + " row sealed");
            String line = new String(SealedRecords.open(row.value(), source), StandardCharsets.UTF_8);
            assertTrue(line.contains("st\tp-1\ts-1\t"), line);
        }
        KeyValueStore<String, byte[]> store = rig.driver.getKeyValueStore(ProjectionTopology.SESSION_STORE);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            assertTrue(all.hasNext());
            assertTrue(SealedRecords.isSealed(all.next().value), "the session's ledger is stored sealed");
        }
        assertTrue(rig.deadLetters.isEmpty());
    }

    @Test
    void onceTheKeyIsGoneNothingOfTheParticipantIsReadStoredOrDeadLettered() {
        rig.raw.pipeInput("s-1", sealed("p-1", "s-1", "1:trial:start"));
        rig.raw.pipeInput("s-2", sealed("p-2", "s-2", "1:trial:start"));
        byte[] later = sealed("p-1", "s-1", "2:trial:end");
        rig.projection.readRecordsToList();

        keys.remove("st/p-1");
        rig.raw.pipeInput("s-1", later);
        rig.raw.pipeInput("s-2", sealed("p-2", "s-2", "2:trial:end"));
        rig.driver.advanceWallClockTime(Duration.ofSeconds(6));

        List<TestRecord<String, byte[]>> out = rig.projection.readRecordsToList();
        assertTrue(out.stream().allMatch(r -> "s-2".equals(r.key())), "only p-2's record and rows: " + out);
        assertEquals(3, out.size(), "p-2's record, trial and summary");
        assertEquals(1, dropped.get(), "p-1's record counted as withdrawn");
        assertTrue(rig.deadLetters.isEmpty(), "a record whose key is gone is no error");
        KeyValueStore<String, byte[]> store = rig.driver.getKeyValueStore(ProjectionTopology.SESSION_STORE);
        assertNull(store.get("st\u001fp-1\u001fs-1"), "their session left the store on the next walk");
        assertFalse(holds(store.get("st\u001fp-2\u001fs-2"), TYPED));
    }

    @Test
    void aTamperedOrMislabelledSealedRecordIsDeadLetteredAsItCame() {
        byte[] value = sealed("p-1", "s-1", "1:click");
        value[value.length - 1] ^= 1;
        rig.raw.pipeInput("s-1", value);
        // Sealed for p-2's session s-2 but holding a record of session s-9: the envelope must match.
        rig.raw.pipeInput("s-2", SealedRecords.seal(keys.get("st/p-2"), new RecordBinding("st", "p-2", "s-2"),
                record("p-2", "s-9", "1:click")));

        List<TestRecord<String, byte[]>> dead = rig.deadLetters.readRecordsToList();
        assertEquals(2, dead.size());
        assertArrayEquals(value, dead.get(0).value(), "the value as it came: sealed");
        assertTrue(dead.stream().allMatch(r -> SealedRecords.isSealed(r.value()) && !holds(r.value(), TYPED)));
        assertTrue(rig.projection.isEmpty());
    }

    @Test
    void recordsInClearOfEveryVersionStillRoute() {
        rig.raw.pipeInput("s-3", record("p-3", "s-3", "1:click"));
        rig.raw.pipeInput("s-3", sealed("p-1", "s-1", "1:click"));
        rig.raw.pipeInput("s-3", """
                {"v":1,"study":"st","participant":"p-3","session":"s-3","sent_at":1,"received_at":2,
                 "action":{"id":"%s","seq":2,"type":"click","t":1}}""".formatted(UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(3, rig.projection.readRecordsToList().stream().filter(r -> table(r) == null).count());
        assertTrue(rig.deadLetters.isEmpty());
    }
}
