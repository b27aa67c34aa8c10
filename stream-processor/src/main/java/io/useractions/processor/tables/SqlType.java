package io.useractions.processor.tables;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.useractions.model.Json;
import io.useractions.processor.projection.ActionRow;
import io.useractions.processor.projection.BinaryRows;
import io.useractions.processor.projection.ProjectedTable;

/**
 * The PostgreSQL types a derived table's columns can have, each with how a value is written in binary COPY
 * (a String for a {@code jsonb} column is taken as JSON text already).
 * A number or a boolean given as text converts, since the logger keeps {@code data-*} attributes as
 * strings ({@code "3"} is 3 in an integer column); a value that is not of the column's type is written as
 * NULL ({@code "three"}), so that one odd action of a study never refuses its whole batch.
 */
public enum SqlType {
    TEXT("text"),
    INTEGER("integer"),
    BIGINT("bigint"),
    DOUBLE("double precision"),
    BOOLEAN("boolean"),
    TIMESTAMPTZ("timestamptz"),
    JSONB("jsonb"),
    UUID("uuid");

    private static final Map<String, SqlType> BY_NAME = Map.of("text", TEXT, "integer", INTEGER, "bigint", BIGINT,
            "double", DOUBLE, "double precision", DOUBLE, "boolean", BOOLEAN, "timestamptz", TIMESTAMPTZ,
            "timestamp with time zone", TIMESTAMPTZ, "jsonb", JSONB, "uuid", UUID);

    /** A decimal number as text: digits with an optional sign, point and exponent (of at most four digits). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,4})?");

    private final String sql;

    SqlType(String sql) {
        this.sql = sql;
    }

    /** The type in a CREATE TABLE. */
    public String sql() {
        return sql;
    }

    /** The type a declaration names ({@code text}, {@code integer}, {@code double}, ...), if it is one. */
    public static Optional<SqlType> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The names a declaration may use. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(t -> t == DOUBLE ? "double" : t.sql).toList());
    }

    /** A column's value that {@code value} computes from the action, written as this type ({@link #write}). */
    public ProjectedTable.Value of(Function<ActionRow, Object> value) {
        return (row, out) -> write(value.apply(row), out);
    }

    /** Writes {@code value} as this type's binary COPY value: NULL when it is null or not of this type. */
    public void write(Object value, BinaryRows out) {
        Object plain = value instanceof JsonNode node ? plain(node) : value;
        switch (this) {
            case TEXT -> out.text(plain == null || plain instanceof JsonNode ? text(value) : plain.toString());
            case INTEGER -> {
                Number n = number(plain);
                out.number(n != null && isWhole(n) && n.longValue() == n.intValue() ? Integer.valueOf(n.intValue()) : null);
            }
            case BIGINT -> {
                Number n = number(plain);
                if (n != null && isWhole(n)) {
                    out.number(n.longValue());
                } else {
                    out.nullOf("bigint");
                }
            }
            case DOUBLE -> {
                Number n = number(plain);
                out.number(n != null && Double.isFinite(n.doubleValue()) ? Double.valueOf(n.doubleValue()) : null);
            }
            case BOOLEAN -> out.bool(bool(plain));
            case TIMESTAMPTZ -> {
                Number n = number(plain);
                if (plain instanceof Instant instant) {
                    out.time(instant);
                } else if (n != null && isWhole(n)) {
                    out.time(n.longValue());
                } else {
                    out.time((Instant) null);
                }
            }
            case JSONB -> out.jsonb(value == null ? null
                    : value instanceof JsonNode node ? (node.isMissingNode() ? null : node.toString())
                    : value instanceof String json ? json : json(value));
            case UUID -> out.uuid(plain instanceof java.util.UUID uuid ? uuid
                    : plain instanceof String s && isUuid(s) ? java.util.UUID.fromString(s) : null);
        }
    }

    /** A JSON scalar as the Java value it holds; containers and null stay as they are. */
    private static Object plain(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node;
    }

    /**
     * The number a value holds: a Number, or text written as a decimal number ({@code "3"}, {@code " -2.5 "},
     * {@code "1e3"}); null for anything else. Whole numbers come back as Long when they fit, so that
     * {@code "9007199254740993"} keeps its last digit.
     */
    static Number number(Object value) {
        if (value instanceof Number n) {
            return n;
        }
        if (!(value instanceof String text)) {
            return null;
        }
        String s = text.strip();
        if (s.length() > 40 || !DECIMAL.matcher(s).matches()) {
            return null;
        }
        BigDecimal decimal = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
        BigDecimal whole = decimal.stripTrailingZeros();
        if (whole.scale() <= 0 && whole.precision() - whole.scale() <= 19) {
            try {
                return whole.longValueExact();
            } catch (ArithmeticException e) {
                // beyond a long: a double, as a JSON number that large would be
            }
        }
        return decimal.doubleValue();
    }

    /** The boolean a value holds: a Boolean, or the text {@code true} or {@code false} in any case; else null. */
    static Boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String text) {
            String s = text.strip();
            if (s.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (s.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    private static String text(Object value) {
        if (value instanceof JsonNode node) {
            return node.isNull() || node.isMissingNode() ? null : node.toString();
        }
        return value == null ? null : value.toString();
    }

    private static boolean isWhole(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || (Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue())
                        && Math.abs(n.doubleValue()) < 9.0e15);
    }

    private static boolean isUuid(String s) {
        try {
            return java.util.UUID.fromString(s).toString().equalsIgnoreCase(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
