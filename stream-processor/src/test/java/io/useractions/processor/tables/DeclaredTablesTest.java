package io.useractions.processor.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.useractions.processor.projection.ProjectedTable;

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

    @Test
    void theShippedClickTableReadsWithItsColumnsInOrder() throws Exception {
        Path shipped = Path.of("..", "tables");
        List<DerivedTable> tables = DeclaredTables.load(shipped);
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
}
