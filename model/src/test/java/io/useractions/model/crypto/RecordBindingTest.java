package io.useractions.model.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The associated data of every sealed record: its bytes may not change, or records on the topics no longer open. */
class RecordBindingTest {

    @Test
    void eachPartIsItsLengthThenItsUtf8Bytes() {
        assertEquals("00000002" + "7374" + "00000004" + "702d c3a9".replace(" ", "") + "00000001" + "73",
                HexFormat.of().formatHex(new RecordBinding("st", "p-é", "s").encoded()));
    }

    @Test
    void partsThatJoinAlikeAreBoundApart() {
        assertNotEquals(HexFormat.of().formatHex(new RecordBinding("ab", "c", "d").encoded()),
                HexFormat.of().formatHex(new RecordBinding("a", "bc", "d").encoded()));
    }

    @Test
    void aMissingPartIsRefusedByName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new RecordBinding("st", null, "s"));
        assertEquals("participant", e.getMessage());
    }
}
