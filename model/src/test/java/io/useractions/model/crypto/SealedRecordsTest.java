package io.useractions.model.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.useractions.model.Batch;
import io.useractions.model.BatchParser;
import io.useractions.model.Limits;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.ValidationException;

class SealedRecordsTest {
    private final DataKey key = DataKey.generate(1);
    private final RecordBinding binding = new RecordBinding("demo", "p-secret-7", "s-1");
    private final SealedRecords.Keys keys = new SealedRecords.Keys() {
        @Override
        public DataKey find(String study, String participant, int keyId) {
            return study.equals("demo") && participant.equals("p-secret-7") && keyId == 1 ? key : null;
        }

        @Override
        public DataKey current(String study, String participant) {
            return find(study, participant, 1);
        }
    };

    private static byte[] record(String typed) {
        String body = "{\"study\":\"demo\",\"participant\":\"p-secret-7\",\"session\":\"s-1\",\"sent_at\":1,"
                + "\"actions\":[" + ("{\"id\":\"%s\",\"seq\":%d,\"type\":\"input\",\"t\":1,\"data\":{\"value\":\"" + typed
                        + "\"}}").formatted("0b6f0c53-6c0e-4a8e-9d1c-5f9b2f0c4b1e", 1) + "]}";
        Batch batch = new BatchParser(Limits.DEFAULT).parse(body.getBytes(StandardCharsets.UTF_8));
        List<byte[]> records = RawRecords.encode(batch, 5L);
        return records.get(0);
    }

    @Test
    void theRawTopicsReaderOpensReadsAndHoldsAPayloadToItsClearPart() {
        byte[] plain = record("typed");
        RawRecord read = RawRecords.decode(plain, Limits.DEFAULT);
        assertEquals(read, RawRecords.open(plain, keys, Limits.DEFAULT), "a record in clear");
        assertEquals(read, RawRecords.open(SealedRecords.seal(key, binding, plain), keys, Limits.DEFAULT));
        assertNull(RawRecords.open(SealedRecords.seal(key, binding, plain), SealedRecords.Keys.NONE, Limits.DEFAULT),
                "sealed with a key that is gone: a withdrawn participant's");

        // Opens with the participant's key, but its payload is session s-1's, not the s-2 it is filed under.
        byte[] mislabelled = SealedRecords.seal(key, new RecordBinding("demo", "p-secret-7", "s-2"), plain);
        ValidationException e = assertThrows(ValidationException.class,
                () -> RawRecords.open(mislabelled, keys, Limits.DEFAULT));
        assertTrue(e.getMessage().contains("another study, participant or session"), e.getMessage());
        byte[] tampered = SealedRecords.seal(key, binding, plain);
        tampered[tampered.length - 1] ^= 1;
        assertThrows(SealedPayloadException.class, () -> RawRecords.open(tampered, keys, Limits.DEFAULT));
        assertThrows(ValidationException.class,
                () -> RawRecords.open("{\"v\":2".getBytes(StandardCharsets.UTF_8), keys, Limits.DEFAULT));
    }

    @Test
    void aSealedRecordOpensToTheSameBytesAndShowsOnlyItsEnvelope() {
        byte[] plain = record("xyzzy typed text ".repeat(20));
        byte[] sealed = SealedRecords.seal(key, binding, plain);
        assertTrue(SealedRecords.isSealed(sealed));
        assertArrayEquals(plain, SealedRecords.open(sealed, keys));
        assertArrayEquals(plain, SealedRecords.open(sealed, key));
        assertEquals(binding, SealedRecords.envelope(sealed).binding());
        assertEquals(1, SealedRecords.envelope(sealed).keyId());
        String bytes = new String(sealed, StandardCharsets.ISO_8859_1);
        assertFalse(bytes.contains("xyzzy"), "no plaintext of the payload in the sealed bytes");
        assertTrue(bytes.contains("p-secret-7"), "the participant code stays in clear, for routing");
        // Compressed before sealing: the repeated text shrinks below the plaintext.
        assertTrue(sealed.length < plain.length, sealed.length + " vs " + plain.length);
    }

    @Test
    void aRecordInClearIsReadAsIs() {
        byte[] plain = record("x");
        assertFalse(SealedRecords.isSealed(plain));
        assertSame(plain, SealedRecords.open(plain, SealedRecords.Keys.NONE));
    }

    @Test
    void aRecordWhoseKeyIsGoneReadsAsNull() {
        byte[] sealed = SealedRecords.seal(key, binding, record("x"));
        assertNull(SealedRecords.open(sealed, SealedRecords.Keys.NONE));
    }

    @Test
    void aChangedEnvelopeOrPayloadDoesNotOpen() {
        byte[] sealed = SealedRecords.seal(key, binding, record("x"));
        byte[] moved = SealedRecords.seal(key, new RecordBinding("demo", "p-secret-7", "s-2"), record("x"));
        // Swap the clear session: s-1 -> s-2 with the payload of s-1.
        byte[] relabelled = sealed.clone();
        int at = new String(sealed, StandardCharsets.ISO_8859_1).indexOf("s-1");
        relabelled[at + 2] = '2';
        assertThrows(SealedPayloadException.class, () -> SealedRecords.open(relabelled, keys));
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThrows(SealedPayloadException.class, () -> SealedRecords.open(flipped, keys));
        assertThrows(SealedPayloadException.class, () -> SealedRecords.open(new byte[] { 0, 1, 0 }, keys));
        assertArrayEquals(record("x"), SealedRecords.open(moved, keys));
    }

    @Test
    void shortValuesAreStoredUncompressed() {
        byte[] tiny = "tiny".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(tiny, SealedRecords.open(SealedRecords.seal(key, binding, tiny), key));
        assertArrayEquals(new byte[0], SealedRecords.open(SealedRecords.seal(key, binding, new byte[0]), key));
    }

    @Test
    void payloadsAreZstdCompressedAndDeflatedOnesWrittenBeforeStillOpen() throws Exception {
        byte[] plain = record("compresses well ".repeat(20));
        SealedRecords.Payload zstd = SealedRecords.compress(plain);
        assertEquals(2, zstd.bytes()[0], "zstd");
        assertTrue(zstd.length() < plain.length / 2, zstd.length() + " of " + plain.length);
        assertArrayEquals(plain, SealedRecords.decompress(java.util.Arrays.copyOf(zstd.bytes(), zstd.length())));

        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED, true);
        deflater.setInput(plain);
        deflater.finish();
        byte[] deflated = new byte[5 + plain.length];
        int length = 5 + deflater.deflate(deflated, 5, plain.length);
        deflated[0] = 1;
        java.nio.ByteBuffer.wrap(deflated, 1, 4).putInt(plain.length);
        assertArrayEquals(plain, SealedRecords.decompress(java.util.Arrays.copyOf(deflated, length)));
    }

    @Test
    void aDamagedZstdPayloadIsRefused() {
        byte[] plain = record("compresses well ".repeat(20));
        SealedRecords.Payload zstd = SealedRecords.compress(plain);
        byte[] cut = java.util.Arrays.copyOf(zstd.bytes(), zstd.length() - 8);
        assertThrows(SealedPayloadException.class, () -> SealedRecords.decompress(cut));
    }
}
