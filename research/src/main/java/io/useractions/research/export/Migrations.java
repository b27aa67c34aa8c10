package io.useractions.research.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Applies the stream processor's Flyway migrations ({@code V<n>__*.sql}, in version order) to an empty
 * database, for benchmarks and tests that create their own; the processor itself runs them with Flyway.
 */
public final class Migrations {
    /** Where they live, seen from a module's directory. */
    public static final Path DEFAULT_DIR = Path.of("..", "stream-processor", "src", "main", "resources", "db",
            "migration");

    private Migrations() {
    }

    public static void apply(Connection c, Path dir) throws SQLException, IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(dir)) {
            scripts = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(Migrations::version))
                    .toList();
        }
        try (Statement st = c.createStatement()) {
            for (Path script : scripts) {
                st.execute(Files.readString(script));
            }
        }
    }

    private static int version(Path script) {
        String name = script.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }
}
