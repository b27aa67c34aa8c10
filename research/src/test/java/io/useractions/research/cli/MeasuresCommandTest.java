package io.useractions.research.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.useractions.research.trajectory.MeasureOptions;
import io.useractions.research.trajectory.Measures;
import io.useractions.research.trajectory.ReferenceData;
import io.useractions.research.trajectory.ReferenceData.Table;
import io.useractions.research.csv.CsvReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasuresCommandTest {
    private static final String HEADER = "trial,sample,t_ms,x,y\n";

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    @Test
    void reproducesMousetrapsMeasuresAndTimeNormalisationFromTheReferenceSamples() throws IOException {
        Path in = dir.resolve("trajectories.csv");
        try (InputStream resource = getClass().getResourceAsStream(ReferenceData.DIRECTORY + "trajectories.csv")) {
            Files.copy(resource, in);
        }
        Result r = run("--in", in.toString(), "--out", dir.resolve("m.csv").toString(), "--tn-out",
                dir.resolve("tn.csv").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("measures: 43 trials (0 flagged)"), r.out());

        Table expected = ReferenceData.table("measures.csv");
        Table actual = read(dir.resolve("m.csv"));
        List<String> header = new ArrayList<>(expected.header());
        header.add(MeasuresCommand.FLAGS_COLUMN);
        assertEquals(header, actual.header());
        assertEquals(expected.rows().size(), actual.rows().size());
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < expected.rows().size(); i++) {
            List<String> want = expected.rows().get(i);
            List<String> got = actual.rows().get(i);
            assertEquals(want.get(0), got.get(0));
            for (String column : Measures.COLUMNS) {
                int c = expected.column(column);
                double mousetrap = ReferenceData.number(want.get(c));
                softly.assertThat(ReferenceData.number(got.get(c))).as("%s %s", want.get(0), column)
                        .matches(value -> ReferenceData.matches(column, mousetrap, value), "mousetrap's " + mousetrap);
            }
        }

        Table tnExpected = ReferenceData.table("time_normalized.csv");
        Table tnActual = read(dir.resolve("tn.csv"));
        assertEquals(tnExpected.header(), tnActual.header());
        assertEquals(tnExpected.rows().size(), tnActual.rows().size());
        for (int i = 0; i < tnExpected.rows().size(); i++) {
            List<String> want = tnExpected.rows().get(i);
            List<String> got = tnActual.rows().get(i);
            assertEquals(want.subList(0, 2), got.subList(0, 2));
            for (int c = 2; c < 5; c++) {
                double mousetrap = ReferenceData.number(want.get(c));
                softly.assertThat(ReferenceData.number(got.get(c))).as("%s step %s %s", want.get(0), want.get(1),
                        tnExpected.header().get(c)).matches(value -> ReferenceData.close(mousetrap, value),
                        "mousetrap's " + mousetrap);
            }
        }
        softly.assertAll();
    }

    @Test
    void acceptsQuotedFieldsAnyColumnOrderAndFlagsTooShortTrials() throws IOException {
        Path in = write("in.csv", "\"x\",\"y\",\"note\",\"t_ms\",\"trial\",\"sample\"\r\n"
                + "640,700,\"a, b\",1000,\"a\",1\r\n"
                + "600,650,,1016,\"a\",2\r\n"
                + "140,100,,1032,\"a\",3\r\n"
                + "640,700,\"only one\",5,\"b\",1\r\n");
        Path out = dir.resolve("out.csv");
        Result r = run("--in", in.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        Table t = read(out);
        assertEquals("flags", t.header().get(t.header().size() - 1));
        List<String> a = t.rows().get(0);
        assertEquals("a", a.get(0));
        assertEquals("32", a.get(t.column("RT")));
        assertEquals("", a.get(t.column("flags")));
        List<String> b = t.rows().get(1);
        assertEquals("b", b.get(0));
        assertEquals("too_few_samples", b.get(t.column("flags")));
        for (String column : Measures.COLUMNS) {
            assertEquals("", b.get(t.column(column)), column);
        }
        assertTrue(Files.readString(out).contains("\r\n"), "CRLF records");
    }

    @Test
    void optionsReachTheComputation() throws IOException {
        Path in = write("in.csv", HEADER + "t,1,0,640,700\nt,2,10,700,650\nt,3,20,690,600\nt,4,30,720,500\n"
                + "t,5,40,1140,100\n");
        Path remapped = dir.resolve("remapped.csv");
        Path kept = dir.resolve("kept.csv");
        Path tn = dir.resolve("tn.csv");
        assertEquals(0, run("--in", in.toString(), "--out", remapped.toString()).status());
        assertEquals(0, run("--in", in.toString(), "--out", kept.toString(), "--no-remap", "--flip-threshold", "15",
                "--hover-threshold", "100", "--steps", "11", "--tn-out", tn.toString()).status());
        Table r = read(remapped);
        Table k = read(kept);
        assertEquals("0", r.rows().get(0).get(r.column("xpos_max")));
        assertEquals("500", k.rows().get(0).get(k.column("xpos_max")), "to the right without remap");
        assertEquals("600", k.rows().get(0).get(k.column("ypos_max")), "upwards without remap");
        assertEquals("2", r.rows().get(0).get(r.column("xpos_flips")), "right, back 10 px, right");
        assertEquals("0", k.rows().get(0).get(k.column("xpos_flips")), "a 10 px turn is below 15");
        assertTrue(k.header().contains("hovers"));
        Table steps = read(tn);
        assertEquals(11, steps.rows().size());
        assertEquals(List.of("t", "11", "40", "500", "600"), steps.rows().get(10));
    }

    @Test
    void badInputIsOneLineNamingLineAndColumnWithStatus2() throws IOException {
        assertBad(HEADER.replace(",y", ",z") + "t,1,0,1,2\n", "line 1: missing column(s) y");
        assertBad(HEADER + "t,1,0,1,2\nt,2,abc,1,2\n", "line 3, column t_ms: 'abc' is not a number");
        assertBad(HEADER + "t,1,0,1,NA\n", "line 2, column y: 'NA' is not a number");
        assertBad(HEADER + "t,1,0,1,2\nt,1,5,1,2\n", "line 3, column sample: 1 is not after sample 1 of trial t (line 2)");
        assertBad(HEADER + "t,2,0,1,2\nu,1,0,1,2\nt,1,5,1,2\n", "line 4, column sample: 1 is not after sample 2");
        assertBad(HEADER + "t,1,10,1,2\nt,2,9.5,1,2\n", "line 3, column t_ms: 9.5 is before 10 of the trial's previous sample (line 2)");
        assertBad(HEADER + "t,1,0,1\n", "line 2: 4 fields, the header has 5");
        assertBad(HEADER + ",1,0,1,2\n", "line 2, column trial: empty trial id");
        assertBad(HEADER + "t,1,0,1,2\n\"t,2,5,1,2\n", "line 3: a quoted field is not closed");
        assertBad("", "empty file");
    }

    @Test
    void badArgumentsAndMissingFilesGiveStatus2() {
        Result missing = run("--in", dir.resolve("nope.csv").toString(), "--out", dir.resolve("o.csv").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
        assertEquals(2, run("--in", "x.csv").status());
        assertEquals(2, run("--in", "x.csv", "--out", "y.csv", "--flip-threshold", "-1").status());
        assertEquals(2, run("--in", "x.csv", "--out", "y.csv", "--steps", "2.5").status());
        assertEquals(2, run("--in", "x.csv", "--out", "y.csv", "--bogus").status());
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        Result help = run("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("Usage: ./ual measures "), help.out());
        for (String option : new String[] {"--in=SAMPLES.csv", "--out=MEASURES.csv", "--flip-threshold=N",
                "--initiation-threshold=N", "--hover-threshold=MS", "--no-remap", "--tn-out=TIME_NORMALIZED.csv",
                "--steps=N"}) {
            assertTrue(help.out().contains(option), option + " in\n" + help.out());
        }
        assertTrue(help.out().contains("(default: 101)"), help.out());
        assertTrue(help.out().contains("(default: 0)"), help.out());
    }

    @Test
    void versionIsTheCommandAndTheProjectsVersion() {
        Result version = run("-V");
        assertEquals(0, version.status());
        // the build's version, not the ${project.version} placeholder of an unfiltered version.properties
        assertTrue(version.out().matches("\\./ual measures \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), version.out());
    }

    @Test
    void aBadOptionOrValueIsOneLineNamingTheHelp() {
        Result steps = run("--in", "x.csv", "--out", "y.csv", "--steps", "2.5");
        assertEquals("error: --steps needs an integer >= 1, not '2.5' (see ./ual measures --help)",
                steps.err().strip());
        Result flips = run("--in", "x.csv", "--out", "y.csv", "--flip-threshold", "NaN");
        assertEquals("error: --flip-threshold needs a number >= 0, not 'NaN' (see ./ual measures --help)",
                flips.err().strip());
        Result missing = run("--in", "x.csv");
        assertEquals(2, missing.status());
        assertEquals("error: Missing required option: '--out=MEASURES.csv' (see ./ual measures --help)",
                missing.err().strip());
    }

    @Test
    void optionsBecomeTheSettings() {
        MeasuresCommand.Settings settings = MeasuresCommand.parse("--in", "a.csv", "--out=b.csv", "--no-remap",
                "--hover-threshold", "250", "--initiation-threshold", "3", "--steps", "11").settings();
        assertEquals(Path.of("a.csv"), settings.in());
        assertEquals(Path.of("b.csv"), settings.out());
        assertEquals(11, settings.steps());
        assertEquals(250, settings.measureOptions().hoverThreshold());
        assertEquals(3, settings.measureOptions().initiationThreshold());
        assertFalse(settings.preparation().remap());
        assertEquals(MeasureOptions.DEFAULTS, MeasuresCommand.parse("--in", "a", "--out", "b").settings()
                .measureOptions());
    }

    private void assertBad(String content, String message) throws IOException {
        Path in = write("bad.csv", content);
        Path out = dir.resolve("bad-out.csv");
        Result r = run("--in", in.toString(), "--out", out.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().startsWith("error: " + in), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(out), "nothing written for bad input");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static Table read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ReferenceData.read(CsvReader.utf8(in));
        }
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MeasuresCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
