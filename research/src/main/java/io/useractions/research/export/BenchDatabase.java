package io.useractions.research.export;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The database a benchmark runs against, from {@code --jdbc-url URL [--user U --password P]
 * [--migrations DIR]}; the benchmark's own options are returned by name.
 */
public record BenchDatabase(String url, String user, String password, Path migrations)
        implements Exporter.ConnectionSource {

    /** Parses {@code --name value} pairs; the database's go into the record, the others into {@code options}. */
    public static BenchDatabase parse(String[] args, Map<String, String> options) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            given.put(args[i].substring(2), args[i + 1]);
        }
        for (Map.Entry<String, String> option : given.entrySet()) {
            boolean known = switch (option.getKey()) {
                case "jdbc-url", "user", "password", "migrations" -> true;
                default -> options.containsKey(option.getKey());
            };
            if (!known) {
                throw new IllegalArgumentException("unknown argument --" + option.getKey());
            }
            options.computeIfPresent(option.getKey(), (name, defaultValue) -> option.getValue());
        }
        if (!given.containsKey("jdbc-url")) {
            throw new IllegalArgumentException("--jdbc-url is required");
        }
        String migrations = given.get("migrations");
        return new BenchDatabase(given.get("jdbc-url"), given.getOrDefault("user", "ual"),
                given.getOrDefault("password", "ual"), migrations == null ? null : Path.of(migrations));
    }

    @Override
    public Connection open() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
