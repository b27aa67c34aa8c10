package io.useractions.research.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.useractions.infra.Postgres;
import io.useractions.research.trajectory.Measures;
import io.useractions.research.trial.Frame;

class ExporterTest {

    private static Postgres postgres;
    private static Exporter exporter;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = TestDatabase.start("export");
        try (Connection c = postgres.connect()) {
            Fixture.standard(c);
        }
        exporter = new Exporter(postgres::connect);
    }

    @AfterAll
    static void stopDatabase() {
        postgres.stop();
    }

    private static Path out() {
        return Path.of("target", "exports", UUID.randomUUID().toString().substring(0, 8));
    }

    private static ExportRequest s1() {
        return ExportRequest.of(ExportFilter.study("s1"));
    }

    @Test
    void csvTablesReadBackByPostgresEqualTheDatabase() throws Exception {
        Path dir = out();
        ExportSummary summary = exporter.toDirectory(s1(), dir, ProgressListener.NONE);
        try (Connection c = postgres.connect()) {
            for (Table t : List.of(Tables.actions(), Tables.positions())) {
                List<List<Object>> expected = ReadBack.database(c, t, ExportFilter.study("s1"));
                assertEquals(expected, ReadBack.csv(c, t, dir.resolve(t.label() + ".csv")), t.label());
                assertEquals(expected.size(), rows(summary, t.label()));
            }
            assertEquals(9, ReadBack.database(c, Tables.positions(), ExportFilter.study("s1")).size());
        }
        String positions = Files.readString(dir.resolve("positions.csv"));
        assertTrue(positions.startsWith("action_id,study,participant,session_id,condition,seq,type,client_time,"
                + "server_time,t_mono,x,y,page_x,page_y,screen_x,screen_y,vw,vh\r\n"), positions);
        assertTrue(positions.contains(",2026-12-02T05:14:46.171Z,2026-12-02T05:14:47.406Z,1049.5,100,400,100.5,"
                + "700.25,200,580,1280,720\r\n"), positions);
        String actions = Files.readString(dir.resolve("actions.csv"));
        assertTrue(actions.contains("\"https://example.org/study?a=1,b=\"\"2\"\"\""), "quoted RFC 4180 field");
        assertTrue(actions.contains("Zürich"), "UTF-8");
    }

    @Test
    void parquetTablesReadBackByHyparquetEqualTheDatabase() throws Exception {
        Path dir = out();
        exporter.toDirectory(s1().withFormat(Format.PARQUET), dir, ProgressListener.NONE);
        try (Connection c = postgres.connect()) {
            for (Table t : List.of(Tables.actions(), Tables.positions())) {
                assertEquals(ReadBack.database(c, t, ExportFilter.study("s1")),
                        ReadBack.parquet(t, dir.resolve(t.label() + ".parquet")), t.label());
            }
        }
        JsonNode positions = ReadBack.parquetJson(dir.resolve("positions.parquet"));
        assertEquals("[\"INT64\",\"TIMESTAMP\",\"REQUIRED\"]", positions.get("types").get(7).toString());
        assertEquals("[\"DOUBLE\",null,\"OPTIONAL\"]", positions.get("types").get(12).toString());
        assertEquals("[\"BYTE_ARRAY\",\"STRING\",\"REQUIRED\"]", positions.get("types").get(0).toString());
        assertEquals("positions", positions.get("metadata").get("useractions.table").asText());
        JsonNode columns = new ObjectMapper().readTree(positions.get("metadata").get("useractions.columns").asText());
        assertEquals("page_x", columns.get(12).get("name").asText());
        assertEquals("page", columns.get(12).get("frame").asText());
        assertEquals("px (CSS)", columns.get(12).get("unit").asText());
    }

    @Test
    void derivedTablesAreTheSameInCsvAndParquet() throws Exception {
        Path csv = out();
        Path parquet = out();
        exporter.toDirectory(s1(), csv, ProgressListener.NONE);
        exporter.toDirectory(s1().withFormat(Format.PARQUET), parquet, ProgressListener.NONE);
        try (Connection c = postgres.connect()) {
            for (TableName name : DerivedTables.derived()) {
                Table t = Tables.describe(name, Frame.CLIENT);
                List<List<Object>> fromCsv = ReadBack.csv(c, t, csv.resolve(t.fileName(Format.CSV)));
                assertFalse(fromCsv.isEmpty(), name.label());
                assertEquals(fromCsv, ReadBack.parquet(t, parquet.resolve(t.fileName(Format.PARQUET))), name.label());
            }
        }
    }

    @Test
    void trialsAndTrajectoriesFollowTheMarkers() throws Exception {
        Path dir = out();
        exporter.toDirectory(s1().withTables(Set.of(TableName.TRIALS, TableName.TRAJECTORIES)), dir,
                ProgressListener.NONE);
        try (Connection c = postgres.connect()) {
            List<List<Object>> trials = ReadBack.csv(c, Tables.trials(), dir.resolve("trials.csv"));
            assertEquals(3, trials.size());
            List<Object> first = trials.get(0);
            assertEquals(List.of("P1/sess-1/1", "s1", "P1", "sess-1", "A", 1L, 1L, "trial:end", false, 2L, 9L),
                    first.subList(0, 11));
            assertEquals(Instant.parse("2026-12-02T05:14:46.155Z"), first.get(11));
            assertEquals(List.of(1L, 3L), List.of(first.get(15), first.get(16)), "misses, samples");
            assertEquals(1L, first.get(19), "seq 6 lost");
            assertEquals(true, first.get(20), "clock flag at seq 8");
            assertEquals("t_mono", first.get(21));
            assertEquals(33.0, (double) first.get(17), 1e-9, "median of 16.5 and 49.5");
            List<Object> second = trials.get(1);
            assertEquals(List.of("P1/sess-1/2", true, 11L, 14L, 3L), List.of(second.get(0), second.get(8),
                    second.get(9), second.get(10), second.get(16)));
            assertEquals(null, second.get(7));
            assertEquals(List.of("P2/sess-2/1", "client_time"), List.of(trials.get(2).get(0), trials.get(2).get(21)));

            List<List<Object>> trajectories = ReadBack.csv(c, Tables.trajectories(Frame.CLIENT),
                    dir.resolve("trajectories.csv"));
            assertEquals(List.of("P1/sess-1/1", 1L, 0.0, 100.0, 400.0), trajectories.get(0));
            assertEquals(List.of("P1/sess-1/1", 2L, 16.5, 110.5, 390.25), trajectories.get(1));
            assertEquals(List.of("P1/sess-1/1", 3L, 66.0, 130.0, 350.0), trajectories.get(2));
            assertEquals(List.of("P2/sess-2/1", 2L, 16.0, 11.0, 21.0), trajectories.get(7), "client clock");
            assertEquals(8, trajectories.size());
        }
    }

    @Test
    void mousetrapsOptionsShapeTheMeasuresAndTimeNormalisedTables() throws Exception {
        Path standard = out();
        Path asked = out();
        Set<TableName> tables = Set.of(TableName.MEASURES, TableName.TRAJECTORIES_TN);
        exporter.toDirectory(s1().withTables(tables), standard, ProgressListener.NONE);
        exporter.toDirectory(s1().withTables(tables).withAnalysis(new Analysis(false, 1e9, 1e9, 11)), asked,
                ProgressListener.NONE);
        try (Connection c = postgres.connect()) {
            Analysis options = new Analysis(false, 1e9, 1e9, 11);
            List<List<Object>> tn = ReadBack.csv(c, Tables.describe(TableName.TRAJECTORIES_TN, Frame.CLIENT, options),
                    asked.resolve("trajectories_tn.csv"));
            assertEquals(3 * 11, tn.size(), "11 steps for each of the 3 trials");
            List<List<Object>> standardTn = ReadBack.csv(c, Tables.describe(TableName.TRAJECTORIES_TN, Frame.CLIENT),
                    standard.resolve("trajectories_tn.csv"));
            assertEquals(3 * 101, standardTn.size());
            assertEquals(-(double) standardTn.get(100).get(3), (double) tn.get(10).get(3), 1e-9,
                    "without remap the last x keeps its sign; mousetrap's remap mirrors it");

            Table measures = Tables.describe(TableName.MEASURES, Frame.CLIENT, options);
            List<Object> first = ReadBack.csv(c, measures, asked.resolve("measures.csv")).get(0);
            int initiation = Measures.COLUMNS.indexOf("initiation_time") + 1;
            int rt = Measures.COLUMNS.indexOf("RT") + 1;
            assertEquals(first.get(rt), first.get(initiation), "never farther than the threshold: initiation = RT");
            assertEquals(0.0, first.get(Measures.COLUMNS.indexOf("xpos_flips") + 1));
        }
        assertTrue(Files.readString(asked.resolve("dictionary.md")).contains("remap off, flip_threshold 1000000000"));
    }

    @Test
    void pageFrameOnRequestLeavesOutSamplesWithoutIt() throws Exception {
        Path dir = out();
        exporter.toDirectory(s1().withTables(Set.of(TableName.TRAJECTORIES)).withFrame(Frame.PAGE), dir,
                ProgressListener.NONE);
        try (Connection c = postgres.connect()) {
            List<List<Object>> rows = ReadBack.csv(c, Tables.trajectories(Frame.PAGE), dir.resolve("trajectories.csv"));
            assertEquals(List.of("P1/sess-1/1", 1L, 0.0, 100.5, 700.25), rows.get(0));
            assertEquals(6, rows.size(), "seq 7 and 14 have no page coordinates");
        }
        assertTrue(Files.readString(dir.resolve("datapackage.json")).contains("\"frame\": \"page\""));
    }

    @Test
    void repeatedExportsAreByteIdentical() throws Exception {
        for (Format format : Format.values()) {
            Path a = out();
            Path b = out();
            exporter.toDirectory(s1().withFormat(format), a, ProgressListener.NONE);
            exporter.toDirectory(s1().withFormat(format), b, ProgressListener.NONE);
            try (var files = Files.list(a)) {
                for (Path f : files.toList()) {
                    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(f.getFileName())),
                            f.toString());
                }
            }
            ByteArrayOutputStream zip1 = new ByteArrayOutputStream();
            ByteArrayOutputStream zip2 = new ByteArrayOutputStream();
            exporter.toZip(s1().withFormat(format), zip1, ProgressListener.NONE);
            exporter.toZip(s1().withFormat(format), zip2, ProgressListener.NONE);
            assertArrayEquals(zip1.toByteArray(), zip2.toByteArray());
            assertEquals(Files.readString(a.resolve("positions." + format.extension()), StandardCharsets.ISO_8859_1),
                    new String(zipEntry(zip1.toByteArray(), "positions." + format.extension()),
                            StandardCharsets.ISO_8859_1), "zip entry = directory file");
        }
    }

    @Test
    void zipHoldsTablesDataPackageAndDictionary() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        exporter.toZip(s1(), zip, ProgressListener.NONE);
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip.toByteArray()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertEquals(List.of("actions.csv", "positions.csv", "trials.csv", "measures.csv", "trajectories.csv",
                "trajectories_tn.csv", "datapackage.json", "dictionary.md"), names);
        JsonNode pkg = new ObjectMapper().readTree(zipEntry(zip.toByteArray(), "datapackage.json"));
        assertEquals(6, pkg.get("resources").size());
        JsonNode x = pkg.get("resources").get(1).get("schema").get("fields").get(10);
        assertEquals("x", x.get("name").asText());
        assertEquals("number", x.get("type").asText());
        assertEquals("client", x.get("frame").asText());
        String dictionary = new String(zipEntry(zip.toByteArray(), "dictionary.md"), StandardCharsets.UTF_8);
        assertTrue(dictionary.contains("| `page_x` | number (may be empty) | px (CSS) | page |"), dictionary);
    }

    @Test
    void oneTableToAStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TableSummary s = exporter.table(s1(), TableName.POSITIONS, out, ProgressListener.NONE);
        assertEquals(9, s.rows());
        assertEquals(out.size(), s.bytes());
        assertEquals(10, out.toString(StandardCharsets.UTF_8).split("\r\n").length);
    }

    @Test
    void progressCountsRowsOrActionsReadWithTotalsOnlyWhenAskedForThem() throws Exception {
        ExportRequest request = ExportRequest.of(new ExportFilter("s1", "B", null, null, null, false));
        long actions;
        try (Connection c = postgres.connect(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM ui_action WHERE study = 's1' AND condition = 'B'")) {
            rs.next();
            actions = rs.getLong(1);
        }
        for (boolean wantsTotals : new boolean[] {true, false}) {
            List<String> told = new ArrayList<>();
            ProgressListener listener = new ProgressListener() {
                @Override
                public void progress(String table, String unit, long count, long total, boolean done) {
                    told.add(table + " " + count + "/" + total + " " + unit + (done ? " done" : ""));
                }

                @Override
                public boolean wantsTotals() {
                    return wantsTotals;
                }
            };
            exporter.table(request, TableName.POSITIONS, new ByteArrayOutputStream(), listener);
            exporter.table(request, TableName.TRIALS, new ByteArrayOutputStream(), listener);
            long positions = wantsTotals ? 2 : -1;
            long read = wantsTotals ? actions : -1;
            assertEquals(List.of("positions 0/" + positions + " rows", "positions 2/" + positions + " rows done",
                    "trials 0/" + read + " actions", "trials " + actions + "/" + read + " actions done"), told);
        }
    }

    @Test
    void filtersSelectConditionParticipantTimeAndCompleteTrials() throws Exception {
        assertEquals(2, rows(ExportRequest.of(new ExportFilter("s1", "B", null, null, null, false)),
                TableName.POSITIONS));
        assertEquals(7, rows(ExportRequest.of(new ExportFilter("s1", null, "P1", null, null, false)),
                TableName.POSITIONS));
        assertEquals(2, rows(ExportRequest.of(new ExportFilter("s1", null, null, null, null, true)),
                TableName.TRIALS));
        Instant secondTrial = Fixture.T0.plusMillis(11 * 16).plusNanos(1_234_567_000L);
        ExportFilter fromSecond = new ExportFilter("s1", "A", null, secondTrial, null, false);
        assertEquals(1, rows(ExportRequest.of(fromSecond), TableName.TRIALS));
        assertEquals(3, rows(ExportRequest.of(fromSecond), TableName.POSITIONS));
        ExportFilter beforeSecond = new ExportFilter("s1", "A", null, null, secondTrial, false);
        assertEquals(1, rows(ExportRequest.of(beforeSecond), TableName.TRIALS));
        assertEquals(101, rows(ExportRequest.of(beforeSecond), TableName.TRAJECTORIES_TN));
    }

    @Test
    void unknownStudyAndBadFiltersAreRequestErrors() {
        assertEquals("unknown study 'nope': no actions stored for it", assertThrows(UnknownStudyException.class,
                () -> rows(ExportRequest.of(ExportFilter.study("nope")), TableName.ACTIONS)).getMessage());
        assertEquals("study 's1' has no condition 'Z'", assertThrows(ExportRequestException.class,
                () -> rows(ExportRequest.of(new ExportFilter("s1", "Z", null, null, null, false)), TableName.ACTIONS))
                .getMessage());
        assertEquals("study 's1' has no participant 'x'", assertThrows(ExportRequestException.class,
                () -> rows(ExportRequest.of(new ExportFilter("s1", null, "x", null, null, false)), TableName.ACTIONS))
                .getMessage());
        assertThrows(ExportRequestException.class, () -> ExportFilter.study(" "));
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThrows(ExportRequestException.class, () -> new ExportFilter("s1", null, null, t, t, false));
        assertThrows(ExportRequestException.class, () -> ExportFilter.parseTime("--from", "yesterday"));
        assertThrows(ExportRequestException.class, () -> TableName.parse("mice"));
    }

    @Test
    void quotesInFilterValuesAreLiteralsNotSql() {
        assertThrows(UnknownStudyException.class, () -> rows(ExportRequest.of(ExportFilter.study("s1' OR '1'='1")),
                TableName.ACTIONS));
        assertThrows(ExportRequestException.class, () -> rows(ExportRequest.of(
                new ExportFilter("s1", "A' OR 'x'='x", null, null, null, false)), TableName.POSITIONS));
    }

    @Test
    void commandExportsWithSummaryOnlyWithoutATerminalAndRejectsAnUnknownStudy() throws Exception {
        Path dir = out();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        String[] common = {"--jdbc-url", postgres.jdbcUrl(), "--user", Postgres.USER, "--password",
                Postgres.PASSWORD, "--out", dir.toString()};
        int code = io.useractions.research.cli.ExportCommand.run(concat(common, "--study", "s1", "--format", "parquet",
                "--tables", "positions,trials"), new java.io.PrintStream(stdout, true), new java.io.PrintStream(stderr, true));
        assertEquals(0, code, stderr.toString());
        assertTrue(stdout.toString().startsWith("exported study s1: 2 tables, 12 rows, "), stdout.toString());
        assertEquals(1, stdout.toString().lines().count(), "no progress line without a terminal: " + stdout);
        assertEquals("", stderr.toString());
        assertTrue(Files.exists(dir.resolve("positions.parquet")) && Files.exists(dir.resolve("trials.parquet")));
        assertTrue(Files.exists(dir.resolve("datapackage.json")) && Files.exists(dir.resolve("dictionary.md")));

        stderr.reset();
        code = io.useractions.research.cli.ExportCommand.run(concat(common, "--study", "nope"),
                new java.io.PrintStream(stdout, true), new java.io.PrintStream(stderr, true));
        assertEquals(2, code);
        assertEquals("error: unknown study 'nope': no actions stored for it", stderr.toString().strip());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static long rows(ExportRequest request, TableName table) throws Exception {
        return exporter.table(request, table, new ByteArrayOutputStream(), ProgressListener.NONE).rows();
    }

    private static long rows(ExportSummary s, String table) {
        return s.tables().stream().filter(t -> t.table().equals(table)).findFirst().orElseThrow().rows();
    }

    private static byte[] zipEntry(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        throw new AssertionError("no " + name);
    }

    private static final Path READERS = Path.of("src", "test", "readers");

    /** One column as a tool read it. */
    private record Read(String type, int rows, int missing, boolean parsesAsTime) {
    }

    /**
     * The tools researchers load exports with, with no hints: R's readr (Debian's r-cran-readr) and pandas
     * (python3-pandas, for Debian's /usr/bin/python3), both installed by {@code ./ual test}. Every table
     * must arrive with every row, the same missing values as the database, numbers as numbers, flags as
     * logicals and, in R, times as times.
     */
    @Test
    void readrAndPandasReadEveryTableWithoutHints() throws Exception {
        Path dir = Path.of("target", "exports", "readers-" + UUID.randomUUID().toString().substring(0, 8));
        ExportRequest request = s1();
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
