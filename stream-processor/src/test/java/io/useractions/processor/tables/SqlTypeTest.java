package io.useractions.processor.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.useractions.processor.projection.BinaryRows;
import io.useractions.processor.projection.CopyValues;

/** A value as each column type writes it: JSON values, Java values and numbers or booleans given as text. */
class SqlTypeTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String NULL = "\\N";

    private static String written(SqlType type, Object value) {
        BinaryRows out = new BinaryRows(16);
        out.startRow(1);
        type.write(value, out);
        return CopyValues.text(BinaryRows.value(out.toBytes(), 0, 0), type.sql());
    }

    @Test
    void aWholeNumberGivenAsTextIsAnIntegerAndAWordIsNull() {
        assertEquals("3", written(SqlType.INTEGER, "3"));
        assertEquals("3", written(SqlType.INTEGER, JSON.textNode("3")));
        assertEquals("-12", written(SqlType.INTEGER, " -12 "));
        assertEquals("3", written(SqlType.INTEGER, "3.0"));
        assertEquals("1000", written(SqlType.INTEGER, "1e3"));
        assertEquals("7", written(SqlType.INTEGER, "+7"));
        assertEquals("7", written(SqlType.INTEGER, "007"));
        assertEquals(NULL, written(SqlType.INTEGER, "three"));
        assertEquals(NULL, written(SqlType.INTEGER, "3.5"));
        assertEquals(NULL, written(SqlType.INTEGER, ""));
        assertEquals(NULL, written(SqlType.INTEGER, "3 4"));
        assertEquals(NULL, written(SqlType.INTEGER, "0x10"));
        assertEquals(NULL, written(SqlType.INTEGER, "NaN"));
        assertEquals(NULL, written(SqlType.INTEGER, "2147483648"), "beyond an integer");
        assertEquals(NULL, written(SqlType.INTEGER, "1e9999"));
        assertEquals(NULL, written(SqlType.INTEGER, JSON.booleanNode(true)));
    }

    @Test
    void jsonNumbersAndJavaNumbersStillWrite() {
        assertEquals("3", written(SqlType.INTEGER, JSON.numberNode(3)));
        assertEquals("3", written(SqlType.INTEGER, JSON.numberNode(3.0)));
        assertEquals("3", written(SqlType.INTEGER, 3L));
        assertEquals(NULL, written(SqlType.INTEGER, JSON.numberNode(3.5)));
        assertEquals(NULL, written(SqlType.INTEGER, null));
        assertEquals(NULL, written(SqlType.INTEGER, JSON.nullNode()));
        assertEquals("2.5", written(SqlType.DOUBLE, JSON.numberNode(2.5)));
    }

    @Test
    void aBigintGivenAsTextKeepsEveryDigit() {
        assertEquals("9007199254740993", written(SqlType.BIGINT, "9007199254740993"));
        assertEquals("-9223372036854775808", written(SqlType.BIGINT, "-9223372036854775808"));
        assertEquals(NULL, written(SqlType.BIGINT, "9223372036854775808"), "beyond a bigint");
        assertEquals(NULL, written(SqlType.BIGINT, "12 apples"));
    }

    @Test
    void aDoubleGivenAsTextIsItsValue() {
        assertEquals("2.5", written(SqlType.DOUBLE, "2.5"));
        assertEquals("0.5", written(SqlType.DOUBLE, ".5"));
        assertEquals("-1250", written(SqlType.DOUBLE, "-1.25e3"));
        assertEquals("4", written(SqlType.DOUBLE, JSON.textNode("4")));
        assertEquals(NULL, written(SqlType.DOUBLE, "1e400"), "beyond a double");
        assertEquals(NULL, written(SqlType.DOUBLE, "Infinity"));
        assertEquals(NULL, written(SqlType.DOUBLE, "2,5"));
    }

    @Test
    void aBooleanGivenAsTextIsItsValue() {
        assertEquals("t", written(SqlType.BOOLEAN, "true"));
        assertEquals("f", written(SqlType.BOOLEAN, JSON.textNode("FALSE")));
        assertEquals("t", written(SqlType.BOOLEAN, JSON.booleanNode(true)));
        assertEquals("f", written(SqlType.BOOLEAN, false));
        assertEquals(NULL, written(SqlType.BOOLEAN, "yes"));
        assertEquals(NULL, written(SqlType.BOOLEAN, JSON.numberNode(1)));
    }

    @Test
    void aTimeGivenAsEpochMillisecondsInTextIsThatTime() {
        assertEquals("2025-11-29T10:40:00.000Z", written(SqlType.TIMESTAMPTZ, "1764412800000"));
        assertEquals("2025-11-29T10:40:00.000Z", written(SqlType.TIMESTAMPTZ, JSON.numberNode(1764412800000L)));
        assertEquals("2025-11-29T10:40:00.000Z", written(SqlType.TIMESTAMPTZ,
                Instant.ofEpochMilli(1764412800000L)));
        assertEquals(NULL, written(SqlType.TIMESTAMPTZ, "2025-11-29"));
    }

    @Test
    void textAndJsonAreWrittenAsGiven() {
        JsonNode attrs = JSON.objectNode().put("data-trial", "3");
        assertEquals("3", written(SqlType.TEXT, JSON.textNode("3")));
        assertEquals("3", written(SqlType.TEXT, JSON.numberNode(3)));
        assertEquals("{\"data-trial\":\"3\"}", written(SqlType.JSONB, attrs));
        assertEquals(NULL, written(SqlType.TEXT, JSON.nullNode()));
        assertEquals("a\tb\\c\nd é", written(SqlType.TEXT, "a\tb\\c\nd é"), "binary COPY escapes nothing");
    }

    @Test
    void aUuidGivenAsTextIsThatUuidAndAnythingElseIsNull() {
        assertEquals("0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01", written(SqlType.UUID, "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01"));
        assertEquals(NULL, written(SqlType.UUID, "0b6c3c1e"));
    }
}
