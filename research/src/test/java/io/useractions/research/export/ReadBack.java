package io.useractions.research.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Readers other than the writers: PostgreSQL's own CSV parser (COPY FROM into a typed table) for CSV, the
 * JavaScript hyparquet for Parquet. Both give rows of normalised values (String, Long, Double, Boolean,
 * Instant at ms, null) to compare with the database's.
 */
final class ReadBack {

    private static final Path NODE_DIR = Path.of("target", "parquet-reader");

    private ReadBack() {
    }

    /** Rows of a query over the table's columns, in order; times truncated to the export's milliseconds. */
    static List<List<Object>> rows(ResultSet rs, Table t) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= t.columns().size(); i++) {
                Object v = switch (t.columns().get(i - 1).type()) {
                    case STRING -> rs.getString(i);
                    case INTEGER -> rs.getLong(i);
                    case NUMBER -> rs.getDouble(i);
                    case BOOLEAN -> rs.getBoolean(i);
                    case TIMESTAMP -> {
                        OffsetDateTime o = rs.getObject(i, OffsetDateTime.class);
                        yield o == null ? null : o.toInstant().truncatedTo(ChronoUnit.MILLIS);
                    }
                };
                row.add(rs.wasNull() ? null : v);
            }
            rows.add(row);
        }
        return rows;
    }

    static List<List<Object>> database(Connection c, Table t, ExportFilter f) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Sql.select(t, f))) {
            return rows(rs, t);
        }
    }

    /** Loads a CSV file with PostgreSQL's COPY FROM into a temporary table typed from the descriptor. */
    static List<List<Object>> csv(Connection c, Table t, Path file) throws SQLException, IOException {
        String name = "back_" + t.label();
        String columns = t.columns().stream().map(col -> "\"" + col.name() + "\"").collect(Collectors.joining(", "));
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + name);
            st.execute("CREATE TEMP TABLE " + name + " (" + t.columns().stream()
                    .map(col -> "\"" + col.name() + "\" " + col.type().postgres()).collect(Collectors.joining(", "))
                    + ", line_ serial)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + name + " (" + columns
                    + ") FROM STDIN (FORMAT csv, HEADER MATCH)", in);
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + columns + " FROM " + name + " ORDER BY line_")) {
            return rows(rs, t);
        }
    }

    /** The Parquet file as hyparquet reads it: metadata, column names, physical types and rows. */
    static JsonNode parquetJson(Path file) throws IOException, InterruptedException {
        installReader();
        Process p = new ProcessBuilder("node", "read-parquet.mjs", file.toAbsolutePath().toString())
                .directory(NODE_DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("hyparquet could not read " + file);
        }
        return new ObjectMapper().readTree(out);
    }

    static List<List<Object>> parquet(Table t, Path file) throws IOException, InterruptedException {
        JsonNode json = parquetJson(file);
        List<String> names = new ArrayList<>();
        json.get("columns").forEach(n -> names.add(n.asText()));
        assertEquals(t.columns().stream().map(Column::name).toList(), names);
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode r : json.get("rows")) {
            List<Object> row = new ArrayList<>();
            for (int i = 0; i < t.columns().size(); i++) {
                JsonNode v = r.get(i);
                row.add(v.isNull() ? null : switch (t.columns().get(i).type()) {
                    case STRING -> v.asText();
                    case INTEGER -> Long.parseLong(v.asText());
                    case NUMBER -> v.asDouble();
                    case BOOLEAN -> v.asBoolean();
                    case TIMESTAMP -> Instant.parse(v.asText());
                });
            }
            rows.add(row);
        }
        return rows;
    }

    private static synchronized void installReader() throws IOException, InterruptedException {
        Path source = Path.of("src", "test", "node");
        Files.createDirectories(NODE_DIR);
        for (String f : List.of("package.json", "package-lock.json", "read-parquet.mjs")) {
            Files.copy(source.resolve(f), NODE_DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("hyparquet"))) {
            return;
        }
        // Not inherited: output on the test JVM's stdout corrupts Surefire's channel to its fork.
        Path log = NODE_DIR.resolve("npm-ci.log");
        Process p = new ProcessBuilder(Arrays.asList("npm", "ci", "--no-audit", "--no-fund"))
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("npm ci of the Parquet reader failed in " + NODE_DIR + ":\n"
                    + Files.readString(log));
        }
    }
}
