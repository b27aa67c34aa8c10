package io.useractions.research.export;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import io.useractions.infra.Postgres;

/** The repo's embedded PostgreSQL under target/, with the pipeline's own migrations applied. */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static Postgres start(String name) throws SQLException, IOException {
        Path dir = Path.of("target", "test-data", name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        Postgres postgres = new Postgres(dir.resolve("data"), 0).start();
        try (Connection c = postgres.connect()) {
            Migrations.apply(c, Migrations.DEFAULT_DIR);
        }
        return postgres;
    }
}
