package io.useractions.processor.projection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Binary COPY rows read back as the text COPY would show them, for assertions: NULL as {@code \N}. */
public final class CopyValues {
    public static final String NULL = "\\N";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private CopyValues() {
    }

    /** Each row of {@code rows}, its values read by {@code types} (information_schema's names, as the table declares). */
    public static List<List<String>> rows(byte[] rows, List<String> types) {
        List<List<String>> all = new ArrayList<>();
        for (int from = 0; from < rows.length; from = BinaryRows.rowEnd(rows, from)) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) {
                row.add(text(BinaryRows.value(rows, from, i), types.get(i)));
            }
            all.add(row);
        }
        return all;
    }

    /** The rows of a table in {@code buffer}. */
    public static List<List<String>> rows(CopyBuffer buffer, ProjectedTable table) {
        return rows(buffer.toBytes(), table.columnTypes());
    }

    /** One value of a type (a table's or a SqlType's name for it) as text. */
    public static String text(byte[] value, String type) {
        if (value == null) {
            return NULL;
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return switch (type) {
            case "text" -> new String(value, StandardCharsets.UTF_8);
            case "jsonb" -> new String(value, 1, value.length - 1, StandardCharsets.UTF_8);
            case "uuid" -> new UUID(b.getLong(), b.getLong()).toString();
            case "bigint" -> Long.toString(b.getLong());
            case "integer" -> Integer.toString(b.getInt());
            case "boolean" -> value[0] == 1 ? "t" : "f";
            case "double precision" -> {
                double d = b.getDouble();
                yield d == (long) d && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
            }
            case "timestamp with time zone", "timestamptz" ->
                TIME.format(java.time.Instant.ofEpochMilli(b.getLong() / 1000 + 946_684_800_000L));
            default -> throw new IllegalArgumentException("type " + type);
        };
    }
}
