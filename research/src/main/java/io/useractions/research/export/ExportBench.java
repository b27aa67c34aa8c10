package io.useractions.research.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Export speed against PostgreSQL's own COPY, on the same rows in one run. Loads N positions (COPY), then
 * times COPY (SELECT ...) TO STDOUT, the CSV export (binary COPY formatted in Java), two alternatives (PostgreSQL
 * formats the CSV itself through CopyManager; a Java writer over a JDBC cursor) and the Parquet export;
 * prints name=value lines.
 *
 * <pre>java -Xmx256m -cp ... io.useractions.research.export.ExportBench --jdbc-url URL [--user U --password P]
 *      [--rows 1000000] [--migrations DIR]</pre> ({@code ./ual bench --research} runs it on an embedded PostgreSQL).
 */
public final class ExportBench {

    public static final long DEFAULT_ROWS = 1_000_000;
    private static final String STUDY = "bench";

    private ExportBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("rows", String.valueOf(DEFAULT_ROWS)));
        BenchDatabase db = BenchDatabase.parse(args, options);
        long rows = Long.parseLong(options.get("rows"));
        load(db, rows, db.migrations());
        run(db, rows);
    }

    private static void run(Exporter.ConnectionSource db, long rows) throws Exception {
        Exporter exporter = new Exporter(db);
        ExportRequest csv = ExportRequest.of(ExportFilter.study(STUDY));
        ExportRequest parquet = csv.withFormat(Format.PARQUET);
        Table positions = Tables.positions();

        double copy1 = copyRate(db, positions);
        double csvRate = exporter.table(csv, TableName.POSITIONS, NULL, ProgressListener.NONE).rowsPerSecond();
        double javaCsv = javaCsvRate(db, positions);
        double postgresCsv = postgresCsvRate(db, positions);
        TableSummary pq = exporter.table(parquet, TableName.POSITIONS, NULL, ProgressListener.NONE);
        double copy2 = copyRate(db, positions);
        double copyRate = (copy1 + copy2) / 2;

        print("rows", rows);
        print("copy_rows_per_s", copyRate);
        print("csv_rows_per_s", csvRate);
        print("csv_ratio", csvRate / copyRate);
        print("csv_postgres_formatted_rows_per_s", postgresCsv);
        print("csv_postgres_formatted_ratio", postgresCsv / copyRate);
        print("csv_java_cursor_rows_per_s", javaCsv);
        print("csv_java_cursor_ratio", javaCsv / copyRate);
        print("parquet_rows_per_s", pq.rowsPerSecond());
        print("parquet_ratio", pq.rowsPerSecond() / copyRate);
        print("parquet_bytes_per_row", (double) pq.bytes() / pq.rows());
        print("max_heap_mb", Runtime.getRuntime().maxMemory() / 1e6);
        Runtime.getRuntime().gc();
        print("heap_used_after_mb", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e6);
    }

    private static double copyRate(Exporter.ConnectionSource db, Table t) throws SQLException, IOException {
        try (Connection c = db.open()) {
            String sql = "COPY (SELECT * FROM mouse_position" + Sql.where(ExportFilter.study(STUDY)) + " ORDER BY "
                    + Tables.order("action_id") + ") TO STDOUT";
            long start = System.nanoTime();
            long n = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, NULL);
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** The alternative CSV export: PostgreSQL formats the rows (times by to_char), CopyManager streams them. */
    private static double postgresCsvRate(Exporter.ConnectionSource db, Table t) throws SQLException, IOException {
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < t.columns().size(); i++) {
            Column c = t.columns().get(i);
            String e = c.type() == ColumnType.TIMESTAMP
                    ? "to_char((" + c.sql() + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')" : c.sql();
            select.append(i == 0 ? "" : ", ").append(e).append(" AS \"").append(c.name()).append('"');
        }
        String sql = "COPY (" + Sql.from(select, t, ExportFilter.study(STUDY)) + ") TO STDOUT (FORMAT csv, HEADER)";
        try (Connection c = db.open()) {
            Progress progress = new Progress("bench", Progress.ROWS, -1, ProgressListener.NONE);
            long start = System.nanoTime();
            CrlfRecords out = new CrlfRecords(NULL, progress);
            c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
            out.flush();
            return progress.count() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** The alternative to CopyManager: rows over a JDBC cursor, formatted by the Java CSV writer. */
    private static double javaCsvRate(Exporter.ConnectionSource db, Table t) throws SQLException, IOException {
        try (Connection c = db.open()) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            long n = 0;
            try (Statement st = c.createStatement(); CsvRowWriter out = new CsvRowWriter(NULL, t)) {
                st.setFetchSize(10_000);
                try (ResultSet rs = st.executeQuery(Sql.select(t, ExportFilter.study(STUDY)))) {
                    while (rs.next()) {
                        for (int i = 1; i <= t.columns().size(); i++) {
                            switch (t.columns().get(i - 1).type()) {
                                case STRING -> out.string(rs.getString(i));
                                case INTEGER -> {
                                    long v = rs.getLong(i);
                                    if (rs.wasNull()) {
                                        out.nullValue();
                                    } else {
                                        out.integer(v);
                                    }
                                }
                                case NUMBER -> {
                                    double v = rs.getDouble(i);
                                    if (rs.wasNull()) {
                                        out.nullValue();
                                    } else {
                                        out.number(v);
                                    }
                                }
                                case BOOLEAN -> out.bool(rs.getBoolean(i));
                                case TIMESTAMP -> out.timestamp(rs.getTimestamp(i).toInstant());
                            }
                        }
                        out.endRow();
                        n++;
                    }
                }
            }
            c.rollback();
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** N pointer samples in sessions of 1,000, loaded with COPY; reused when already there. */
    private static void load(Exporter.ConnectionSource db, long rows, Path migrations) throws SQLException, IOException {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            boolean hasSchema;
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('mouse_position') IS NOT NULL")) {
                rs.next();
                hasSchema = rs.getBoolean(1);
            }
            if (!hasSchema) {
                if (migrations == null) {
                    throw new IllegalStateException("no mouse_position table; give --migrations DIR to create the schema");
                }
                Migrations.apply(c, migrations);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM mouse_position WHERE study = ?")) {
                ps.setString(1, STUDY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == rows) {
                        return;
                    }
                }
            }
            st.execute("DELETE FROM mouse_position WHERE study = '" + STUDY + "'");
            st.execute("DELETE FROM ui_action WHERE study = '" + STUDY + "'");
            st.execute("INSERT INTO ui_action (id, study, participant, session_id, seq, type, client_time, sent_at,"
                    + " received_at, server_time, clock_skew_ms, src_partition, src_offset) VALUES (gen_random_uuid(),"
                    + " '" + STUDY + "', 'P0', 'sess-0', 0, 'page:load', now(), now(), now(), now(), 0, 0, 0)");
            long start = System.nanoTime();
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY mouse_position (action_id, study,"
                    + " participant, session_id, condition, seq, type, client_time, server_time, t_mono, x, y, page_x,"
                    + " page_y, screen_x, screen_y, vw, vh, src_partition, src_offset, src_index) FROM STDIN (FORMAT csv)");
            StringBuilder b = new StringBuilder(1 << 20);
            Instant t0 = Instant.parse("2026-12-02T05:14:46.123Z");
            for (long i = 0; i < rows; i++) {
                long session = i / 1000;
                long seq = i % 1000;
                Instant client = t0.plusMillis(i * 16);
                b.append(new UUID(0xbe9c4, i)).append(",bench,P").append(session % 50).append(",sess-")
                        .append(session).append(',').append(session % 2 == 0 ? "A" : "B").append(',').append(seq)
                        .append(",mousemove,").append(client).append(',').append(client.plusMillis(1234)).append(',')
                        .append(1000 + seq * 16.66).append(',').append(seq % 1280).append(',').append(700 - seq % 700)
                        .append(',').append(seq % 1280 + 0.5).append(',').append(1400 - seq % 700).append(',')
                        .append(seq % 1280 + 30).append(',').append(800 - seq % 700).append(",1280,720,0,")
                        .append(session).append(',').append(seq).append('\n');
                if (b.length() > (1 << 20) - 512) {
                    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
                    in.writeToCopy(bytes, 0, bytes.length);
                    b.setLength(0);
                }
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
            st.execute("ANALYZE mouse_position");
            print("load_rows_per_s", rows / ((System.nanoTime() - start) / 1e9));
        }
    }

    private static void print(String name, double value) {
        System.out.println(name + "=" + String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.3f", value));
    }

    private static final OutputStream NULL = OutputStream.nullOutputStream();
}
