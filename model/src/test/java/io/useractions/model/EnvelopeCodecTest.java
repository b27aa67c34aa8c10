package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {
    private static final String ID = "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01";
    private static final String OTHER_ID = "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a02";

    private final Batch batch = new BatchParser(Limits.DEFAULT)
            .parse(BatchParserTest.batch(BatchParserTest.click(ID, 7)).getBytes(StandardCharsets.UTF_8));

    @Test
    void envelopeRoundTripsWithBatchFieldsAndReceiveTime() {
        List<byte[]> records = EnvelopeCodec.encode(batch, 1764412800999L, Limits.DEFAULT);
        ActionEnvelope decoded = EnvelopeCodec.decode(records.get(0), Limits.DEFAULT);
        assertEquals(batch.envelope(batch.actions().get(0), 1764412800999L).toString(), decoded.toString());
        assertEquals("p-001", decoded.participant());
        assertEquals(1764412800123L, decoded.sentAt());
        assertEquals(1764412800999L, decoded.receivedAt());
        assertArrayEquals(EnvelopeCodec.encode(batch.envelope(batch.actions().get(0), 1764412800999L)),
                EnvelopeCodec.encode(decoded), "re-encoding a decoded record is canonical");
    }

    @Test
    void recordCarriesTheClientsActionBytesAndDecodesLikeAReEncodedOne() {
        String body = BatchParserTest.batch(BatchParserTest.click(ID, 7) + ", {\"id\" : \"" + OTHER_ID
                + "\", \"seq\": 8, \"type\": \"keydown\", \"t\": 1764412800001,\n \"data\": {\"key\": \"letter\"} } ");
        Batch parsed = new BatchParser(Limits.DEFAULT).parse(body.getBytes(StandardCharsets.UTF_8));
        Batch rebuilt = new Batch(parsed.study(), parsed.participant(), parsed.session(), parsed.condition(),
                parsed.sentAt(), parsed.context(), parsed.actions());

        List<byte[]> spliced = EnvelopeCodec.encode(parsed, 5L, Limits.DEFAULT);
        List<byte[]> encoded = EnvelopeCodec.encode(rebuilt, 5L, Limits.DEFAULT);

        assertEquals(2, spliced.size());
        String second = new String(spliced.get(1), StandardCharsets.UTF_8);
        assertTrue(second.endsWith(",\"action\":{\"id\" : \"" + OTHER_ID + "\", \"seq\": 8, \"type\": \"keydown\", "
                + "\"t\": 1764412800001,\n \"data\": {\"key\": \"letter\"} }}"), second);
        for (int i = 0; i < 2; i++) {
            assertEquals(EnvelopeCodec.decode(encoded.get(i), Limits.DEFAULT),
                    EnvelopeCodec.decode(spliced.get(i), Limits.DEFAULT), "record " + i);
        }
    }

    @Test
    void recordsInTheClientsSpellingBindToTheSameEnvelopeAsTheValidatingDecoder() {
        String head = "{\"v\":1,\"study\":\"s\",\"participant\":\"p\",\"session\":\"x\",\"sent_at\":1,\"received_at\":2";
        List<String> records = List.of(
                head + ",\"condition\":null,\"context\":null,\"action\":{\"id\":\"AAAAAAAA-0000-4000-8000-000000000001\","
                        + "\"seq\":1,\"type\":\"t\",\"t\":5,\"x\":null,\"y\":null,\"data\":null,\"target\":{\"id\":null,"
                        + "\"attrs\":{\"a\":null,\"b\":\"\\u00e9\\n\"}}}}",
                head + ",\"context\":{\"dpr\":1e0,\"screen_w\":10,\"tz_offset_min\":-60},\"action\":\n {\"data\":"
                        + "{\"n\":12345678901234567890123,\"f\":1.5e300,\"a\":[null,{},\"\\ud83d\\ude00\"]},\"x\":-0.0,"
                        + "\"y\":1E3 ,\"id\":\"aaaaaaaa-0000-4000-8000-000000000001\",\"seq\":9007199254740992,\"type\":\"t\","
                        + "\"t\":253402300799999,\"t_mono\":0.1,\"vw\":0,\"target\":{}}}");
        for (String text : records) {
            byte[] record = text.getBytes(StandardCharsets.UTF_8);
            assertEquals(EnvelopeCodec.decode(record, Limits.DEFAULT), EnvelopeCodec.decodeValidated(record), text);
        }
    }

    @Test
    void onePassDecodingYieldsTheValidatingDecodersEnvelopeOrItsError() {
        String head = "{\"v\":1,\"study\":\"s\",\"participant\":\"p\",\"session\":\"x\",\"sent_at\":1,\"received_at\":2";
        String action = ",\"action\":{\"id\":\"" + ID + "\",\"seq\":1,\"type\":\"t\",\"t\":5,\"x\":1,\"y\":2"
                + ",\"target\":{\"id\":\"b\"},\"data\":{\"k\":[1,\"v\"]}}}";
        byte[] valid = (head + action).getBytes(StandardCharsets.UTF_8);
        assertEquals(EnvelopeCodec.decode(valid, Limits.DEFAULT), EnvelopeCodec.decodeOnePass(valid, Limits.DEFAULT));

        byte[] badSeq = (head + action.replace("\"seq\":1", "\"seq\":-1")).getBytes(StandardCharsets.UTF_8);
        ValidationException expected = assertThrows(ValidationException.class, () -> EnvelopeCodec.decode(badSeq, Limits.DEFAULT));
        ValidationException actual = assertThrows(ValidationException.class,
                () -> EnvelopeCodec.decodeOnePass(badSeq, Limits.DEFAULT));
        assertEquals(expected.field(), actual.field());
        assertEquals(expected.getMessage(), actual.getMessage());
    }

    @Test
    void canonicalRecordsBindToTheSameEnvelopeAsTheValidatingDecoder() {
        String body = BatchParserTest.batch(BatchParserTest.click(ID, 7) + ", {\"id\":\"" + OTHER_ID
                + "\",\"seq\":8,\"type\":\"keydown\",\"t\":1764412800001,\"data\":{\"key\":\"letter\",\"n\":[1,2.5,null]}}");
        Batch parsed = new BatchParser(Limits.DEFAULT).parse(body.getBytes(StandardCharsets.UTF_8));
        for (Action action : parsed.actions()) {
            byte[] canonical = EnvelopeCodec.encode(parsed.envelope(action, 9L));
            assertEquals(EnvelopeCodec.decode(canonical, Limits.DEFAULT), EnvelopeCodec.decodeValidated(canonical));
        }
        assertThrows(ValidationException.class, () -> EnvelopeCodec.decodeValidated("{\"v\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ValidationException.class, () -> EnvelopeCodec.decodeValidated("[".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void encodedJsonUsesSnakeCaseAndOmitsNulls() {
        String json = new String(EnvelopeCodec.encode(batch.envelope(batch.actions().get(0), 1L)), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"received_at\":1"), json);
        assertTrue(json.contains("\"page_x\":10.0"), json);
        assertTrue(json.contains("\"screen_w\":1920"), json);
        assertTrue(!json.contains("null"), json);
    }

    @Test
    void actionOverTheRecordLimitRejectsTheBatch() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> EnvelopeCodec.encode(batch, 1L, new Limits(10, 200, 8)));
        assertTrue(e.tooLarge());
        assertEquals("actions[0]", e.field());
    }

    @Test
    void decodeRejectsGarbageAndUnknownVersions() {
        assertThrows(ValidationException.class,
                () -> EnvelopeCodec.decode("not json".getBytes(StandardCharsets.UTF_8), Limits.DEFAULT));
        byte[] v2 = new String(EnvelopeCodec.encode(batch, 1L, Limits.DEFAULT).get(0), StandardCharsets.UTF_8)
                .replace("\"v\":1", "\"v\":2").getBytes(StandardCharsets.UTF_8);
        assertEquals("v", assertThrows(ValidationException.class, () -> EnvelopeCodec.decode(v2, Limits.DEFAULT))
                .field());
    }
}
