package io.useractions.model.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.useractions.model.crypto.SealedPayloadException.Reason;

class PayloadCipherTest {
    private static final byte[] ACTIONS = "[{\"id\":\"a\",\"type\":\"click\",\"x\":10,\"y\":20}]"
            .getBytes(StandardCharsets.UTF_8);
    private final DataKey key = DataKey.generate(7);
    private final RecordBinding binding = new RecordBinding("study-a", "p-1001", "0b6f0c53-6c0e-4a8e-9d1c-5f9b2f0c4b1e");

    @Test
    void sealedPayloadOpensToTheSameBytes() {
        byte[] sealed = PayloadCipher.seal(key, binding, ACTIONS);
        assertEquals(ACTIONS.length + PayloadCipher.OVERHEAD, sealed.length);
        assertEquals(7, PayloadCipher.keyId(sealed));
        assertArrayEquals(ACTIONS, PayloadCipher.open(key, binding, sealed));
    }

    @Test
    void sealedPayloadDoesNotContainThePlaintext() {
        byte[] sealed = PayloadCipher.seal(key, binding, ACTIONS);
        String text = new String(sealed, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("click"), "ciphertext shows the action type");
    }

    @Test
    void aPartOfAnArrayIsSealed() {
        byte[] framed = new byte[ACTIONS.length + 10];
        System.arraycopy(ACTIONS, 0, framed, 4, ACTIONS.length);
        byte[] sealed = PayloadCipher.seal(key, binding, framed, 4, ACTIONS.length);
        assertArrayEquals(ACTIONS, PayloadCipher.open(key, binding, sealed));
    }

    @Test
    void emptyPayloadRoundTrips() {
        byte[] sealed = PayloadCipher.seal(key, binding, new byte[0]);
        assertEquals(PayloadCipher.OVERHEAD, sealed.length);
        assertEquals(0, PayloadCipher.open(key, binding, sealed).length);
    }

    @Test
    void oneMegabytePayloadRoundTrips() {
        byte[] payload = new byte[1024 * 1024];
        new Random(1).nextBytes(payload);
        byte[] sealed = PayloadCipher.seal(key, binding, payload);
        assertArrayEquals(payload, PayloadCipher.open(key, binding, sealed));
    }

    @Test
    void anotherKeyWithTheSameIdIsRefused() {
        SealedPayloadException e = refused(DataKey.generate(7), binding, PayloadCipher.seal(key, binding, ACTIONS));
        assertEquals(Reason.NOT_AUTHENTIC, e.reason());
        assertTrue(e.getMessage().startsWith("the payload does not authenticate"), e.getMessage());
    }

    @Test
    void aKeyWithAnotherIdIsRefusedByName() {
        SealedPayloadException e = refused(DataKey.generate(8), binding, PayloadCipher.seal(key, binding, ACTIONS));
        assertEquals(Reason.WRONG_KEY, e.reason());
        assertEquals("the payload was sealed with data key 7, not with the given key 8", e.getMessage());
    }

    @Test
    void everyChangedByteIsRefused() {
        byte[] sealed = PayloadCipher.seal(key, binding, ACTIONS);
        for (int i = 1; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            SealedPayloadException e = assertThrows(SealedPayloadException.class,
                    () -> PayloadCipher.open(key, binding, tampered), "byte " + i);
            // Bytes 1-4 are the key id: a changed one names another key.
            assertEquals(i <= 4 ? Reason.WRONG_KEY : Reason.NOT_AUTHENTIC, e.reason(), "byte " + i);
        }
    }

    @Test
    void aChangedKeyIdIsRefusedEvenWithThatKey() {
        // The header is associated data: relabelling a payload with another key id does not make it open.
        byte[] sealed = PayloadCipher.seal(key, binding, ACTIONS);
        byte[] relabelled = sealed.clone();
        relabelled[4] = 9;
        DataKey sameBytesOtherId = DataKey.of(9, key.bytes());
        assertEquals(Reason.NOT_AUTHENTIC, assertThrows(SealedPayloadException.class,
                () -> PayloadCipher.open(sameBytesOtherId, binding, relabelled)).reason());
    }

    @Test
    void aPayloadMovedToAnotherRecordIsRefused() {
        byte[] sealed = PayloadCipher.seal(key, binding, ACTIONS);
        for (RecordBinding other : List.of(new RecordBinding("study-b", "p-1001", binding.session()),
                new RecordBinding("study-a", "p-1002", binding.session()),
                new RecordBinding("study-a", "p-1001", "another-session"),
                // Length prefixes: moving characters between fields is another binding.
                new RecordBinding("study-ap", "-1001", binding.session()))) {
            SealedPayloadException e = assertThrows(SealedPayloadException.class,
                    () -> PayloadCipher.open(key, other, sealed), other.toString());
            assertEquals(Reason.NOT_AUTHENTIC, e.reason());
            assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
        }
    }

    @Test
    void unknownVersionIsRefusedByName() {
        byte[] sealed = PayloadCipher.seal(key, binding, ACTIONS);
        sealed[0] = 2;
        SealedPayloadException e = refused(key, binding, sealed);
        assertEquals(Reason.UNKNOWN_VERSION, e.reason());
        assertEquals("unknown sealed payload version 2, this code reads version 1", e.getMessage());
        // A plain JSON record is not a sealed payload either.
        assertEquals(Reason.UNKNOWN_VERSION, assertThrows(SealedPayloadException.class,
                () -> PayloadCipher.keyId("{\"v\":2,\"study\":\"study-a\",\"actions\":[]}".getBytes(StandardCharsets.UTF_8)))
                .reason());
    }

    @Test
    void truncatedPayloadIsRefused() {
        byte[] sealed = PayloadCipher.seal(key, binding, ACTIONS);
        assertEquals(Reason.TRUNCATED, refused(key, binding, Arrays.copyOf(sealed, PayloadCipher.OVERHEAD - 1)).reason());
        assertEquals(Reason.NOT_AUTHENTIC, refused(key, binding, Arrays.copyOf(sealed, sealed.length - 1)).reason());
    }

    @Test
    void noncesNeverRepeatAcrossManySealsOnManyThreads() throws Exception {
        int threads = 4;
        int perThread = 25_000;
        Set<ByteBuffer> nonces = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] sealed = PayloadCipher.seal(key, binding, ACTIONS);
                        nonces.add(ByteBuffer.wrap(Arrays.copyOfRange(sealed, PayloadCipher.HEADER_BYTES,
                                PayloadCipher.HEADER_BYTES + PayloadCipher.NONCE_BYTES)));
                        // Each thread's cipher stays usable for opening between seals.
                        if (i % 1000 == 0 && !Arrays.equals(ACTIONS, PayloadCipher.open(key, binding, sealed))) {
                            throw new AssertionError("round trip failed on " + Thread.currentThread().getName());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, nonces.size());
    }

    @Test
    void samePlaintextSealsDifferentlyEachTime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(Arrays.toString(PayloadCipher.seal(key, binding, ACTIONS)));
        }
        assertEquals(100, seen.size());
    }

    @Test
    void dataKeysAreRandomAndNeverShown() {
        DataKey a = DataKey.generate(1);
        DataKey b = DataKey.generate(1);
        assertEquals(DataKey.BYTES, a.bytes().length);
        assertFalse(Arrays.equals(a.bytes(), b.bytes()));
        assertEquals("DataKey[id=1]", a.toString());
        assertThrows(IllegalArgumentException.class, () -> DataKey.of(1, new byte[16]));
    }

    /** Opening {@code sealed} with {@code key} as {@code binding} throws; returns what it threw. */
    private static SealedPayloadException refused(DataKey key, RecordBinding binding, byte[] sealed) {
        return assertThrows(SealedPayloadException.class, () -> PayloadCipher.open(key, binding, sealed));
    }
}
