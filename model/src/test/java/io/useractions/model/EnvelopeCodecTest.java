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
        assertArrayEquals(records.get(0), EnvelopeCodec.encode(decoded), "encoding is canonical");
    }

    @Test
    void encodedJsonUsesSnakeCaseAndOmitsNulls() {
        String json = new String(EnvelopeCodec.encode(batch, 1L, Limits.DEFAULT).get(0), StandardCharsets.UTF_8);
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
