package io.useractions.processor.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.useractions.model.Limits;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;

class ProjectionTopologyTest {
    private TopologyRig rig;
    private final TopologyRig.Recorder listener = new TopologyRig.Recorder();

    @BeforeEach
    void setUp() {
        rig = new TopologyRig(ProjectionTopology.build(Topics.RAW, Topics.PROJECTION, Topics.DEAD_LETTER,
                Limits.DEFAULT, null, listener), Instant.now());
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    static String envelope(UUID id, long seq, String pointer) {
        return """
                {"v":1,"study":"demo","participant":"p-1","session":"s-1","sent_at":1764412800100,
                 "received_at":1764412800200,"action":{"id":"%s","seq":%d,"type":"pointermove",
                 "t":1764412800000%s}}""".formatted(id, seq, pointer);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void validRecordIsRoutedToProjectionUnchangedKeyedBySession() {
        UUID id = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        byte[] value = bytes(batchRecord(id, other));
        // As the ingest service writes it: the schema header on the raw record.
        rig.raw.pipeInput(new TestRecord<>("s-1", value, new org.apache.kafka.common.header.internals.RecordHeaders(
                new Header[] { new RecordHeader(RecordHeaders.SCHEMA, RecordHeaders.SCHEMA_V2.getBytes(StandardCharsets.UTF_8)) }),
                (java.time.Instant) null));
        TestRecord<String, byte[]> out = rig.projection.readRecord();
        assertEquals("s-1", out.key());
        assertArrayEquals(value, out.value());
        RawRecord decoded = RawRecords.decodeValidated(out.value());
        assertEquals(RawRecords.decode(value, Limits.DEFAULT), decoded);
        assertEquals(List.of(id, other), decoded.actions().stream().map(a -> a.id()).toList());
        assertEquals(1.5, decoded.actions().get(0).x());
        assertEquals("0", header(out, RecordHeaders.SOURCE_OFFSET));
        assertEquals("0", header(out, RecordHeaders.SOURCE_PARTITION));
        assertEquals(List.of(RecordHeaders.SOURCE_PARTITION, RecordHeaders.SOURCE_OFFSET),
                Arrays.stream(out.headers().toArray()).map(Header::key).toList(), "no constant header");
        assertTrue(rig.deadLetters.isEmpty());
        assertEquals(2, listener.projected, "actions counted, not records");
    }

    /** A v2 record of two actions, as ingest writes one batch. */
    static String batchRecord(UUID first, UUID second) {
        return """
                {"v":2,"study":"demo","participant":"p-1","session":"s-1","sent_at":1764412800100,
                 "received_at":1764412800200,"actions":[{"id":"%s","seq":1,"type":"pointermove",
                 "t":1764412800000,"x":1.5,"y":2},{"id":"%s","seq":2,"type":"click","t":1764412800001}]}"""
                .formatted(first, second);
    }

    @Test
    void aV2RecordWithOneBadActionIsDeadLetteredWhole() {
        rig.raw.pipeInput("s-1", bytes(batchRecord(UUID.randomUUID(), UUID.randomUUID()).replace("\"seq\":2", "\"seq\":-2")));
        TestRecord<String, byte[]> dead = rig.deadLetters.readRecord();
        assertEquals("actions[1].seq", header(dead, RecordHeaders.DLQ_FIELD));
        assertTrue(rig.projection.isEmpty());
    }

    @Test
    void v1RecordsWrittenBeforeV2AreStillRouted() {
        rig.raw.pipeInput("s-1", bytes(envelope(UUID.randomUUID(), 1, "")));
        rig.raw.pipeInput("s-1", bytes(batchRecord(UUID.randomUUID(), UUID.randomUUID())));
        assertEquals(2, rig.projection.readRecordsToList().size());
        assertEquals(3, listener.projected);
    }

    @Test
    void keyIsTakenFromTheEnvelopeWhenTheRecordHasNone() {
        rig.raw.pipeInput((String) null, bytes(envelope(UUID.randomUUID(), 1, "")));
        assertEquals("s-1", rig.projection.readRecord().key());
    }

    @Test
    void unparseableRecordGoesToDeadLetterWithReasonAndSource() {
        rig.raw.pipeInput("k", bytes("{not json"));
        TestRecord<String, byte[]> dead = rig.deadLetters.readRecord();
        assertEquals("{not json", new String(dead.value(), StandardCharsets.UTF_8));
        assertTrue(header(dead, RecordHeaders.DLQ_REASON).startsWith("malformed JSON"));
        assertEquals("validate", header(dead, RecordHeaders.DLQ_STAGE));
        assertEquals(Topics.RAW, header(dead, RecordHeaders.SOURCE_TOPIC));
        assertEquals("0", header(dead, RecordHeaders.SOURCE_OFFSET));
        assertTrue(rig.projection.isEmpty());
        assertEquals(List.of("invalid"), listener.deadLettered);
    }

    @Test
    void invalidFieldIsNamedInTheDeadLetterHeader() {
        rig.raw.pipeInput("s-1", bytes(envelope(UUID.randomUUID(), 1, ",\"x\":\"left\",\"y\":2")));
        TestRecord<String, byte[]> dead = rig.deadLetters.readRecord();
        assertEquals("action.x", header(dead, RecordHeaders.DLQ_FIELD));
    }

    @Test
    void nullValueAndNulCharacterAreDeadLetteredNotFatal() {
        rig.raw.pipeInput("s-1", (byte[]) null);
        rig.raw.pipeInput("s-1", bytes(envelope(UUID.randomUUID(), 1, ",\"data\":{\"q\":\"a\\u0000b\"}")));
        assertEquals(2, rig.deadLetters.readRecordsToList().size());
    }

    @Test
    void processingContinuesAfterAPoisonRecord() {
        rig.raw.pipeInput("s-1", bytes(envelope(UUID.randomUUID(), 1, "")));
        rig.raw.pipeInput("s-1", bytes("\u0000\u0001garbage"));
        rig.raw.pipeInput("s-1", bytes(envelope(UUID.randomUUID(), 2, "")));
        List<TestRecord<String, byte[]>> out = rig.projection.readRecordsToList();
        assertEquals(2, out.size());
        assertEquals("2", header(out.get(1), RecordHeaders.SOURCE_OFFSET));
        assertEquals(1, rig.deadLetters.readRecordsToList().size());
    }

    @Test
    void replayingTheSameRecordsYieldsTheSameOutput() {
        byte[] value = bytes(envelope(UUID.randomUUID(), 1, ",\"x\":3,\"y\":4"));
        rig.raw.pipeInput("s-1", value);
        byte[] first = rig.projection.readRecord().value();
        rig.raw.pipeInput("s-1", value);
        assertEquals(new String(first, StandardCharsets.UTF_8),
                new String(rig.projection.readRecord().value(), StandardCharsets.UTF_8));
    }
}
