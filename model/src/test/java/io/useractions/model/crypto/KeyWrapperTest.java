package io.useractions.model.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.useractions.model.crypto.SealedPayloadException.Reason;

class KeyWrapperTest {
    private final KeyWrapper master = KeyWrapper.of(1, DataKey.generate(0).bytes());
    private final DataKey key = DataKey.generate(3);

    @Test
    void wrappedKeyUnwrapsToTheSameKeyThatOpensItsPayloads() {
        byte[] wrapped = master.wrap(key, "study-a", "p-1001");
        assertEquals(KeyWrapper.WRAPPED_BYTES, wrapped.length);
        assertEquals(1, KeyWrapper.masterKeyId(wrapped));
        DataKey unwrapped = master.unwrap(wrapped, 3, "study-a", "p-1001");
        assertArrayEquals(key.bytes(), unwrapped.bytes());
        RecordBinding binding = new RecordBinding("study-a", "p-1001", "s-1");
        byte[] payload = "[{}]".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(payload, PayloadCipher.open(unwrapped, binding, PayloadCipher.seal(key, binding, payload)));
    }

    @Test
    void wrappedKeyDoesNotContainTheKey() {
        byte[] wrapped = master.wrap(key, "study-a", "p-1001");
        String hex = java.util.HexFormat.of().formatHex(wrapped);
        assertFalse(hex.contains(java.util.HexFormat.of().formatHex(key.bytes(), 0, 8)));
    }

    @Test
    void aWrappedKeyMovedToAnotherParticipantOrKeyIdIsRefused() {
        byte[] wrapped = master.wrap(key, "study-a", "p-1001");
        assertEquals(Reason.NOT_AUTHENTIC, assertThrows(SealedPayloadException.class,
                () -> master.unwrap(wrapped, 3, "study-a", "p-1002")).reason());
        assertEquals(Reason.NOT_AUTHENTIC, assertThrows(SealedPayloadException.class,
                () -> master.unwrap(wrapped, 3, "study-b", "p-1001")).reason());
        assertEquals(Reason.NOT_AUTHENTIC, assertThrows(SealedPayloadException.class,
                () -> master.unwrap(wrapped, 4, "study-a", "p-1001")).reason());
    }

    @Test
    void anotherMasterKeyIsRefused() {
        byte[] wrapped = master.wrap(key, "study-a", "p-1001");
        assertEquals(Reason.NOT_AUTHENTIC, assertThrows(SealedPayloadException.class,
                () -> KeyWrapper.of(1, DataKey.generate(0).bytes()).unwrap(wrapped, 3, "study-a", "p-1001")).reason());
        SealedPayloadException e = assertThrows(SealedPayloadException.class,
                () -> KeyWrapper.of(2, DataKey.generate(0).bytes()).unwrap(wrapped, 3, "study-a", "p-1001"));
        assertEquals(Reason.WRONG_KEY, e.reason());
        assertEquals("the data key was wrapped with master key 1, not with the configured 2", e.getMessage());
    }

    @Test
    void tamperedWrappedKeyIsRefused() {
        byte[] wrapped = master.wrap(key, "study-a", "p-1001");
        for (int i = PayloadCipher.HEADER_BYTES; i < wrapped.length; i++) {
            byte[] tampered = wrapped.clone();
            tampered[i] ^= 0x40;
            assertEquals(Reason.NOT_AUTHENTIC, assertThrows(SealedPayloadException.class,
                    () -> master.unwrap(tampered, 3, "study-a", "p-1001")).reason(), "byte " + i);
        }
        byte[] unknown = wrapped.clone();
        unknown[0] = 9;
        assertEquals(Reason.UNKNOWN_VERSION, assertThrows(SealedPayloadException.class,
                () -> master.unwrap(unknown, 3, "study-a", "p-1001")).reason());
    }

    @Test
    void masterKeyFromConfigurationIsBase64OfThirtyTwoBytes() {
        byte[] bytes = DataKey.generate(0).bytes();
        KeyWrapper configured = KeyWrapper.fromBase64(5, " " + Base64.getEncoder().encodeToString(bytes) + "\n");
        assertArrayEquals(key.bytes(), KeyWrapper.of(5, bytes).unwrap(configured.wrap(key, "s", "p"), 3, "s", "p").bytes());
        assertEquals("the master key is not valid Base64",
                assertThrows(IllegalArgumentException.class, () -> KeyWrapper.fromBase64(1, "not base64!")).getMessage());
        assertEquals("a master key has 32 bytes, not 16", assertThrows(IllegalArgumentException.class,
                () -> KeyWrapper.fromBase64(1, Base64.getEncoder().encodeToString(new byte[16]))).getMessage());
        assertEquals("KeyWrapper[masterKeyId=5]", configured.toString());
    }
}
