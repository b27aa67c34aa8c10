package io.useractions.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.useractions.model.Limits;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;
import io.useractions.processor.withdrawal.Withdrawn;

/** The topology and withdrawn participants: their records dropped and counted, their sessions' state removed. */
class WithdrawalTopologyTest {
    private static final long T0 = TopologyRig.T0;

    private final AtomicReference<Withdrawn> withdrawn = new AtomicReference<>(Withdrawn.NONE);
    private final TopologyRig.Recorder listener = new TopologyRig.Recorder();
    private TopologyRig rig;

    @BeforeEach
    void setUp() {
        rig = new TopologyRig(ProjectionTopology.build(Topics.RAW, Topics.PROJECTION, Topics.DEAD_LETTER,
                Limits.DEFAULT, TopologyRig.SESSIONS, withdrawn::get, listener), Instant.ofEpochMilli(T0));
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private void send(String participant, String session, String... types) {
        rig.send(participant, session, T0, types);
    }

    private List<String> sessionKeys() {
        KeyValueStore<String, byte[]> store = rig.driver.getKeyValueStore(ProjectionTopology.SESSION_STORE);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                keys.add(entry.key);
            }
        }
        return keys;
    }

    private static String participantOf(TestRecord<String, byte[]> record) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        var table = record.headers().lastHeader(RecordHeaders.TABLE);
        if (table == null) {
            int at = value.indexOf("\"participant\":\"") + 15;
            return value.substring(at, value.indexOf('"', at));
        }
        String[] columns = value.split("\t");
        return "trial".equals(new String(table.value(), StandardCharsets.UTF_8)) ? columns[2] : columns[1];
    }

    @Test
    void recordsOfAWithdrawnParticipantAreDroppedAndCountedNotDeadLettered() {
        withdrawn.set(Withdrawn.of("st", "p-go"));
        send("p-go", "s-go", "1:click", "2:click");
        send("p-stay", "s-stay", "1:click");
        send("p-go", "s-go2", "1:click");

        List<TestRecord<String, byte[]>> out = rig.projection.readRecordsToList();
        assertEquals(1, out.size(), "only p-stay's record");
        assertEquals("p-stay", participantOf(out.get(0)));
        assertTrue(rig.deadLetters.isEmpty(), "a withdrawal is no error");
        assertTrue(listener.deadLettered.isEmpty());
        assertEquals(3, listener.withdrawnDropped, "the three actions of p-go's two records");
        assertEquals(1, sessionKeys().size(), "no session state for p-go: " + sessionKeys());
    }

    @Test
    void theSessionStateOfAParticipantWhoWithdrawsIsRemovedAndNoRowOfTheirsIsEmittedAgain() {
        send("p-go", "s-go", "1:trial:start", "2:click");
        send("p-stay", "s-stay", "1:trial:start", "2:click");
        rig.driver.advanceWallClockTime(Duration.ofSeconds(6));
        List<String> before = rig.projection.readRecordsToList().stream().map(WithdrawalTopologyTest::participantOf).toList();
        assertTrue(before.contains("p-go") && before.contains("p-stay"), before.toString());
        assertEquals(2, sessionKeys().size());

        withdrawn.set(Withdrawn.of("st", "p-go"));
        rig.driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertEquals(1, sessionKeys().size(), "p-go's session gone from the store: " + sessionKeys());
        assertTrue(sessionKeys().get(0).contains("p-stay"));
        KeyValueStore<String, byte[]> store = rig.driver.getKeyValueStore(ProjectionTopology.SESSION_STORE);
        assertNull(store.get("st\u001fp-go\u001fs-go"));
        assertNotNull(store.get("st\u001fp-stay\u001fs-stay"));

        // Both trials time out: only p-stay's ends (incomplete) and is written, with its summary.
        rig.driver.advanceWallClockTime(Duration.ofMinutes(11));
        List<String> after = rig.projection.readRecordsToList().stream().map(WithdrawalTopologyTest::participantOf).toList();
        assertEquals(List.of("p-stay", "p-stay"), after, "p-stay's trial and summary, nothing of p-go");
    }
}
