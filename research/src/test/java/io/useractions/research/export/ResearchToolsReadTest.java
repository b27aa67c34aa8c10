package io.useractions.research.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.infra.Postgres;

/**
 * The tools researchers load exports with, with no hints: R's readr (Debian's r-cran-readr) and pandas
 * (python3-pandas, for Debian's /usr/bin/python3), both installed by {@code ./ual test}. Every table must arrive with every row, the same
 * missing values as the database, numbers as numbers, flags as logicals and, in R, times as times.
 */
class ResearchToolsReadTest {
    private static final Path READERS = Path.of("src", "test", "readers");

    private static Postgres postgres;
    private static Exporter exporter;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = TestDatabase.start("readers");
        try (Connection c = postgres.connect()) {
            Fixture.standard(c);
        }
        exporter = new Exporter(postgres::connect);
    }

    @AfterAll
    static void stopDatabase() {
        postgres.stop();
    }

    /** One column as a tool read it. */
    private record Read(String type, int rows, int missing, boolean parsesAsTime) {
    }

    @Test
    void readrAndPandasReadEveryTableWithoutHints() throws Exception {
        Path dir = Path.of("target", "exports", "readers-" + UUID.randomUUID().toString().substring(0, 8));
        ExportRequest request = ExportRequest.of(ExportFilter.study("s1"));
        exporter.toDirectory(request, dir, ProgressListener.NONE);
        List<String> files = Exporter.tables(request).stream()
                .map(t -> dir.resolve(t.fileName(Format.CSV)).toAbsolutePath().toString()).toList();
        Map<String, Read> r = read(List.of("Rscript", READERS.resolve("read-export.R").toString()), files);
        Map<String, Read> pandas = read(List.of("/usr/bin/python3", READERS.resolve("read_export.py").toString()), files);

        try (Connection c = postgres.connect()) {
            for (Table table : Exporter.tables(request)) {
                List<List<Object>> rows = ReadBack.csv(c, table, dir.resolve(table.fileName(Format.CSV)));
                for (int i = 0; i < table.columns().size(); i++) {
                    Column column = table.columns().get(i);
                    String where = table.label() + "." + column.name();
                    int missing = 0;
                    for (List<Object> row : rows) {
                        missing += row.get(i) == null ? 1 : 0;
                    }
                    Read inR = r.get(where);
                    Read inPandas = pandas.get(where);
                    assertEquals(List.of(rows.size(), missing), List.of(inR.rows(), inR.missing()), "R: " + where);
                    assertEquals(List.of(rows.size(), missing), List.of(inPandas.rows(), inPandas.missing()),
                            "pandas: " + where);
                    if (missing == rows.size()) {
                        continue; // an all-empty column has no type to find
                    }
                    assertTrue(expectedInR(column.type()).contains(inR.type()), "R: " + where + " is " + inR.type());
                    assertTrue(expectedInPandas(column.type(), missing > 0).contains(inPandas.type()),
                            "pandas: " + where + " is " + inPandas.type());
                    if (column.type() == ColumnType.TIMESTAMP) {
                        assertTrue(inPandas.parsesAsTime(), "pandas parses every value of " + where + " as a time");
                    }
                }
            }
        }
    }

    private static Set<String> expectedInR(ColumnType type) {
        return switch (type) {
            case STRING -> Set.of("character");
            case INTEGER, NUMBER -> Set.of("numeric");
            case BOOLEAN -> Set.of("logical");
            case TIMESTAMP -> Set.of("POSIXct");
        };
    }

    /** pandas reads an integer column with a missing value as float, and keeps times as text until asked. */
    private static Set<String> expectedInPandas(ColumnType type, boolean hasMissing) {
        return switch (type) {
            case STRING, TIMESTAMP -> Set.of("object");
            case INTEGER -> hasMissing ? Set.of("float64") : Set.of("int64");
            case NUMBER -> Set.of("float64", "int64");
            case BOOLEAN -> hasMissing ? Set.of("object") : Set.of("bool");
        };
    }

    /** Runs a reader over the files; its lines by "table.column". */
    private static Map<String, Read> read(List<String> command, List<String> files)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(command);
        all.addAll(files);
        Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, process.exitValue(), command + " failed:\n" + output);
        Map<String, Read> columns = new HashMap<>();
        for (String line : output.split("\n")) {
            List<String> f = Arrays.asList(line.split("\t"));
            if (f.size() >= 5) {
                columns.put(f.get(0) + "." + f.get(1), new Read(f.get(2), Integer.parseInt(f.get(3)),
                        Integer.parseInt(f.get(4)), f.size() > 5 && Boolean.parseBoolean(f.get(5).trim().toLowerCase())));
            }
        }
        return columns;
    }
}
