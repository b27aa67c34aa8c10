package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RawRecordsTest {
    private static final String ID = "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01";
    private static final String OTHER_ID = "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a02";
    private static final String HEAD = "{\"v\":1,\"study\":\"s\",\"participant\":\"p\",\"session\":\"x\",\"sent_at\":1,"
            + "\"received_at\":2";

    private final Batch batch = parse(BatchParserTest.batch(BatchParserTest.click(ID, 7) + ", {\"id\" : \"" + OTHER_ID
            + "\", \"seq\": 8, \"type\": \"keydown\", \"t\": 1764412800001,\n \"data\": {\"key\": \"letter\"} } "));

    private static Batch parse(String body) {
        return new BatchParser(Limits.DEFAULT).parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static RawRecord decode(String text) {
        return RawRecords.decode(text.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
    }

    @Test
    void oneV2RecordHoldsTheEnvelopeOnceAndTheClientsActionBytes() {
        List<byte[]> records = RawRecords.encode(batch, 1764412800999L);
        assertEquals(1, records.size());
        String json = new String(records.get(0), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"v\":2,\"study\":\"demo\",\"participant\":\"p-001\""), json);
        assertTrue(json.endsWith(",{\"id\" : \"" + OTHER_ID + "\", \"seq\": 8, \"type\": \"keydown\", "
                + "\"t\": 1764412800001,\n \"data\": {\"key\": \"letter\"} }]}"), json);
        RawRecord read = RawRecords.decode(records.get(0), Limits.DEFAULT);
        assertEquals(new RawRecord(2, "demo", "p-001", batch.session(), "A", 1764412800123L, 1764412800999L,
                batch.context(), batch.actions()), read);
        assertEquals(read, RawRecords.decodeValidated(records.get(0)));
    }

    @Test
    void keptActionsOnlyAndNoRecordWhenNoneIsKept() {
        RawRecord second = RawRecords.decode(RawRecords.encode(batch, 5L, i -> i == 1).get(0), Limits.DEFAULT);
        assertEquals(List.of(batch.actions().get(1)), second.actions());
        assertTrue(RawRecords.encode(batch, 5L, i -> false).isEmpty());
    }

    @Test
    void aBatchBuiltInCodeEncodesLikeTheClientsBytes() {
        Batch rebuilt = new Batch(batch.study(), batch.participant(), batch.session(), batch.condition(),
                batch.sentAt(), batch.context(), batch.actions());
        assertEquals(RawRecords.decode(RawRecords.encode(batch, 5L).get(0), Limits.DEFAULT),
                RawRecords.decode(RawRecords.encode(rebuilt, 5L).get(0), Limits.DEFAULT));
        String json = new String(RawRecords.encode(rebuilt, 1L).get(0), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"received_at\":1") && json.contains("\"page_x\":10.0")
                && json.contains("\"screen_w\":1920") && !json.contains("null"), json);
    }

    @Test
    void aBatchOverTheRecordSizeIsSplitWithTheWholeEnvelopeInEachPart() {
        StringBuilder actions = new StringBuilder();
        String padding = "x".repeat(3_000);
        for (int i = 0; i < 400; i++) {
            actions.append(i == 0 ? "" : ",").append("{\"id\":\"%s\",\"seq\":%d,\"type\":\"note\",\"t\":1,\"data\":{\"p\":\"%s\"}}"
                    .formatted(new java.util.UUID(7, i), i, padding));
        }
        Batch big = parse(BatchParserTest.batch(actions.toString()));
        List<byte[]> records = RawRecords.encode(big, 9L);
        assertEquals(3, records.size());
        List<Action> all = new ArrayList<>();
        for (byte[] record : records) {
            assertTrue(record.length <= RawRecords.MAX_RECORD_BYTES, record.length + " bytes");
            RawRecord part = RawRecords.decode(record, Limits.DEFAULT);
            assertEquals("p-001", part.participant());
            all.addAll(part.actions());
        }
        assertEquals(big.actions(), all);
    }

    @Test
    void v1RecordsAreStillRead() {
        List<byte[]> v1 = RawRecords.encodeV1(batch, 9L);
        assertEquals(2, v1.size());
        for (int i = 0; i < 2; i++) {
            RawRecord read = RawRecords.decode(v1.get(i), Limits.DEFAULT);
            assertEquals(RawRecord.V1, read.v());
            assertEquals(List.of(batch.actions().get(i)), read.actions());
            assertEquals(read, RawRecords.decodeValidated(v1.get(i)));
        }
    }

    @Test
    void eachVersionHasItsOwnActionsMember() {
        String action = "{\"id\":\"" + ID + "\",\"seq\":1,\"type\":\"t\",\"t\":5}";
        assertEquals("actions", assertThrows(ValidationException.class,
                () -> decode(HEAD + ",\"actions\":[" + action + "]}")).field());
        assertEquals("action", assertThrows(ValidationException.class,
                () -> decode(HEAD.replace("\"v\":1", "\"v\":2") + ",\"action\":" + action + "}")).field());
        assertEquals("actions", assertThrows(ValidationException.class,
                () -> decode(HEAD.replace("\"v\":1", "\"v\":2") + "}")).field());
        ValidationException v3 = assertThrows(ValidationException.class,
                () -> decode(HEAD.replace("\"v\":1", "\"v\":3") + ",\"action\":" + action + "}"));
        assertEquals("v: must be between 1 and 2 (schema version)", v3.getMessage());
    }

    @Test
    void recordsInTheClientsSpellingBindToWhatTheReaderReads() {
        List<String> records = List.of(
                HEAD + ",\"condition\":null,\"context\":null,\"action\":{\"id\":\"AAAAAAAA-0000-4000-8000-000000000001\","
                        + "\"seq\":1,\"type\":\"t\",\"t\":5,\"x\":null,\"y\":null,\"data\":null,\"target\":{\"id\":null,"
                        + "\"attrs\":{\"a\":null,\"b\":\"\\u00e9\\n\"}}}}",
                HEAD + ",\"context\":{\"dpr\":1e0,\"screen_w\":10,\"tz_offset_min\":-60},\"action\":\n {\"data\":"
                        + "{\"n\":12345678901234567890123,\"f\":1.5e300,\"a\":[null,{},\"\\ud83d\\ude00\"]},\"x\":-0.0,"
                        + "\"y\":1E3 ,\"id\":\"aaaaaaaa-0000-4000-8000-000000000001\",\"seq\":9007199254740992,\"type\":\"t\","
                        + "\"t\":253402300799999,\"t_mono\":0.1,\"vw\":0,\"target\":{}}}");
        for (String text : records) {
            byte[] record = text.getBytes(StandardCharsets.UTF_8);
            assertEquals(RawRecords.decode(record, Limits.DEFAULT), RawRecords.decodeValidated(record), text);
            byte[] v2 = text.replace("\"v\":1", "\"v\":2").replace("\"action\":\n {", "\"actions\":[{")
                    .replace("\"action\":{", "\"actions\":[{").replaceFirst("}$", "]}").getBytes(StandardCharsets.UTF_8);
            assertEquals(RawRecords.decode(v2, Limits.DEFAULT), RawRecords.decodeValidated(v2), text);
        }
        assertThrows(ValidationException.class, () -> RawRecords.decodeValidated("{\"v\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ValidationException.class, () -> RawRecords.decodeValidated("[".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anActionOverTheRecordLimitRejectsTheBatch() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> RawRecords.encode(batch, 1L, new Limits(10, 200, 8)));
        assertTrue(e.tooLarge());
        assertEquals("actions[0]", e.field());
    }

    @Test
    void theFirstProblemInDocumentOrderIsNamed() {
        String action = "{\"id\":\"" + ID + "\",\"seq\":-1,\"type\":\"t\",\"t\":\"later\"}";
        ValidationException e = assertThrows(ValidationException.class, () -> decode(HEAD + ",\"action\":" + action + "}"));
        assertEquals("action.seq: must be between 0 and 9007199254740992 (per-session sequence number)", e.getMessage());
        ValidationException garbage = assertThrows(ValidationException.class, () -> decode("not json"));
        assertTrue(garbage.getMessage().startsWith("malformed JSON at line 1, column "), garbage.getMessage());
    }
}
