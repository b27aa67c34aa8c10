package io.useractions.processor.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.useractions.processor.projection.ProjectedTable;
import io.useractions.processor.tables.examples.KeyChordTable;

/** Reading YAML declarations: what a table becomes, and how a broken one is refused. */
class DeclaredTablesTest {
    private static final String CLICK = """
            table: click
            actions: [click]
            columns:
              - name: target_id
                from: target.id
              - name: trial
                from: target.attrs.data-trial
                type: integer
              - name: x
                from: x
            """;

    private static final String KEY_CHORD = KeyChordTable.class.getName();

    @Test
    void theShippedClickTableReadsWithItsColumnsInOrder() throws Exception {
        Path shipped = Path.of("..", "tables");
        List<DerivedTable> tables = DeclaredTables.load(shipped, Map.of(KEY_CHORD, new KeyChordTable()));
        DerivedTable click = tables.stream().filter(t -> t.name().equals("click")).findFirst().orElseThrow();
        assertEquals(java.util.Set.of("click"), click.actionTypes());
        assertTrue(click.source().endsWith("click.yaml:5"), click.source());
        ProjectedTable projection = click.projection();
        assertEquals(List.of("action_id", "study", "participant", "session_id", "condition", "seq", "type",
                "client_time", "target_id", "target_selector", "trial", "x", "y", "page_x", "page_y", "button",
                "src_partition", "src_offset", "src_index"), projection.columnNames());
        assertEquals("action_id", projection.key());
        assertTrue(click.createStatements().get(0).contains("trial integer"), click.createStatements().get(0));
    }

    @Test
    void theFingerprintChangesWithWhatDecidesTheRowsOnly() {
        String fingerprint = DeclaredTables.parse("a.yaml", CLICK).fingerprint();
        assertEquals(fingerprint, DeclaredTables.parse("b.yaml", "# moved\n" + CLICK).fingerprint(),
                "the file and its comments do not count");
        assertNotEquals(fingerprint, DeclaredTables.parse("a.yaml", CLICK.replace("type: integer", "type: bigint"))
                .fingerprint());
        assertNotEquals(fingerprint, DeclaredTables.parse("a.yaml", CLICK.replace("[click]", "[click, dblclick]"))
                .fingerprint());
    }

    @Test
    void aBrokenDeclarationNamesTheFileTheLineAndTheProblem() {
        assertRefused(CLICK.replace("from: target.id", "from: target.idd"), "tables/click.yaml:5:",
                "unknown field 'target.idd'");
        assertRefused(CLICK.replace("type: integer", "type: int4"), "tables/click.yaml:8:", "unknown type 'int4'");
        assertRefused(CLICK.replace("name: x", "name: target_id"), "tables/click.yaml:9:", "'target_id' is defined twice");
        assertRefused(CLICK.replace("name: x", "name: seq"), "tables/click.yaml:9:", "'seq' is defined twice");
        assertRefused(CLICK.replace("actions:", "action:"), "tables/click.yaml:2:", "unknown key 'action'");
        assertRefused(CLICK.replace("table: click", "table: Click-Table"), "tables/click.yaml:1:", "table name");
        assertRefused(CLICK.replace("  - name: x\n    from: x\n", "  - name: x\n"), "tables/click.yaml:9:",
                "a column without 'from:'");
        assertRefused(CLICK + "  - name: y\n    from: y\n    type: text\n", "tables/click.yaml:13:",
                "a type can be given only for data.PATH");
        assertRefused("table: click\ncolumns: [\n", "tables/click.yaml:", "not YAML");
        assertRefused("columns: []\n", "tables/click.yaml:1:", "no 'table:'");
    }

    @Test
    void aNameUsedTwiceOrByACoreTableStopsTheStart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), CLICK);
        Files.writeString(dir.resolve("b.yaml"), CLICK);
        DefinitionException twice = assertThrows(DefinitionException.class,
                () -> DerivedTables.definitions(Optional.of(dir), List.of()));
        assertTrue(twice.getMessage().matches(".*b\\.yaml:1: table 'click' is also defined in .*a\\.yaml:1"),
                twice.getMessage());

        Files.delete(dir.resolve("b.yaml"));
        Files.writeString(dir.resolve("a.yaml"), CLICK.replace("table: click", "table: mouse_position"));
        DefinitionException core = assertThrows(DefinitionException.class,
                () -> DerivedTables.definitions(Optional.of(dir), List.of()));
        assertTrue(core.getMessage().contains("a.yaml:1: table 'mouse_position' is a core table"), core.getMessage());
    }

    @Test
    void aSkippedTableIsNotWrittenAndAnUnknownNameStopsTheStart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("click.yaml"), CLICK);
        Files.writeString(dir.resolve("tap.yaml"), CLICK.replace("table: click", "table: tap"));
        List<DerivedTable> tables = DerivedTables.definitions(Optional.of(dir), List.of());
        assertEquals(List.of("tap"), DerivedTables.without(tables, List.of("click")).stream().map(DerivedTable::name)
                .toList());
        assertEquals(2, DerivedTables.without(tables, List.of()).size());

        DefinitionException unknown = assertThrows(DefinitionException.class,
                () -> DerivedTables.without(tables, List.of("clicks")));
        assertTrue(unknown.getMessage().contains("ual.processor.tables.skip: no derived table is named 'clicks'; "
                + "defined: "), unknown.getMessage());
    }

    private static void assertRefused(String yaml, String where, String problem) {
        DefinitionException refused = assertThrows(DefinitionException.class,
                () -> DeclaredTables.parse("tables/click.yaml", yaml));
        assertTrue(refused.getMessage().startsWith(where) && refused.getMessage().contains(problem),
                "expected " + where + " ... " + problem + ", got: " + refused.getMessage());
    }

    @Test
    void aJavaTableIsOnOnlyWhileAFileNamesItsClass(@TempDir Path dir) throws Exception {
        List<TableDefinition> beans = List.of(new KeyChordTable());
        assertEquals(List.of(), DerivedTables.definitions(Optional.of(dir), beans), "a bean alone is off");

        Files.writeString(dir.resolve("chords.yaml"), "# shortcuts\njava: " + KEY_CHORD + "\n");
        List<DerivedTable> on = DerivedTables.definitions(Optional.of(dir), beans);
        assertEquals(List.of("key_chord"), on.stream().map(DerivedTable::name).toList());
        assertTrue(on.get(0).source().endsWith("chords.yaml:2 (" + KEY_CHORD + ")"), on.get(0).source());
        assertEquals(new KeyChordTable().table().fingerprint(), on.get(0).fingerprint(),
                "the file does not count in the fingerprint");
        assertEquals(List.of(), DerivedTables.definitions(Optional.of(dir.resolve("none")), beans),
                "a directory that does not exist names none");
        assertEquals(List.of(), DerivedTables.definitions(Optional.empty(), beans), "no directory, no tables");

        Files.writeString(dir.resolve("chords.yaml"), "table: key_chord\njava: " + KEY_CHORD + "\n");
        assertEquals("key_chord", DerivedTables.definitions(Optional.of(dir), beans).get(0).name(),
                "a table: that agrees with the class");
    }

    @Test
    void theShippedJavaTableIsNamedInTheRepositorysTables() {
        List<DerivedTable> shipped = DerivedTables.definitions(Optional.of(Path.of("..", "tables")),
                List.of(new KeyChordTable()));
        assertEquals(List.of("click", "key_chord"), shipped.stream().map(DerivedTable::name).toList());
    }

    @Test
    void aFileNamingAClassThatIsNoTableDefinitionNamesTheFileTheLineAndTheProblem() {
        Map<String, TableDefinition> beans = Map.of(KEY_CHORD, new KeyChordTable());
        assertRefused("# a Java table\njava: io.example.NoSuchTable\n", beans, "tables/key_chord.yaml:2:",
                "unknown class 'io.example.NoSuchTable'");
        assertRefused("java: java.lang.String\n", beans, "tables/key_chord.yaml:1:",
                "class 'java.lang.String' does not implement " + TableDefinition.class.getName());
        assertRefused("java: " + KEY_CHORD + "\n", Map.of(), "tables/key_chord.yaml:1:",
                "class '" + KEY_CHORD + "' is not a bean of the processor");
        assertRefused("java: " + KEY_CHORD + "\ncolumns:\n  - name: x\n    from: x\n", beans,
                "tables/key_chord.yaml:2:", "'columns:' and 'java:' in one file");
        assertRefused("table: chords\njava: " + KEY_CHORD + "\n", beans, "tables/key_chord.yaml:1:",
                "table 'chords': " + KEY_CHORD + " defines the table 'key_chord'");
        assertRefused("java: [a, b]\n", beans, "tables/key_chord.yaml:1:", "'java' must be a single value");
        TableDefinition broken = () -> DerivedTable.named("Bad Name").build();
        assertRefused("java: " + KEY_CHORD + "\n", Map.of(KEY_CHORD, broken), "tables/key_chord.yaml:1:",
                KEY_CHORD + ": table name 'Bad Name'");
    }

    private static void assertRefused(String yaml, Map<String, TableDefinition> beans, String where, String problem) {
        DefinitionException refused = assertThrows(DefinitionException.class,
                () -> DeclaredTables.parse("tables/key_chord.yaml", yaml, beans));
        assertTrue(refused.getMessage().startsWith(where) && refused.getMessage().contains(problem),
                "expected " + where + " ... " + problem + ", got: " + refused.getMessage());
    }
}
