package io.useractions.infra;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * A real PostgreSQL 16 server from the zonky binaries of this machine's {@link Platform}. The data
 * directory is kept between starts; on each start the application role and database are created if missing.
 */
public final class Postgres extends EmbeddedServer<Postgres, EmbeddedPostgres> {

    /** Longest unix socket path every supported kernel accepts: sun_path is 108 bytes on Linux, 104 on macOS. */
    private static final int MAX_SOCKET_PATH = 103;

    /** One instance, because zonky remembers the binaries it unpacked per resolver. */
    private static final PgBinaryResolver PLATFORM_BINARIES =
            (system, machineHardware) -> binaries(Platform.current()).openStream();

    /** The application's database, role and password: LOCAL-DEVELOPMENT DEFAULTS, as in docker-compose.yml. */
    public static final String DATABASE = "ual";
    public static final String USER = "ual";
    public static final String PASSWORD = "ual";

    /**
     * A server whose PGDATA is {@code dataDir}, initialised on first start and reused afterwards, with the
     * binaries unpacked beside it in pg-binaries. A port of 0 picks a free one now, so a restart reuses it.
     */
    public Postgres(Path dataDir, int port) {
        super("PostgreSQL", dataDir, port);
    }

    @Override
    protected EmbeddedPostgres launch() {
        binaries(Platform.current());
        Path dataDir = dir();
        Path workDir = dataDir.resolveSibling("pg-binaries");
        Processes.createDirectories(workDir);
        Path log = logFile();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(workDir.toFile())
                .setPgBinaryResolver(PLATFORM_BINARIES)
                .setRegisterShutdownHook(false)
                .setPort(port())
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", socketDirectory())
                // zonky starts postgres with -F (fsync off) and synchronous_commit off; a later -c wins.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // At 128MB the backends evicted dirty pages themselves under the benchmark's load, 12-13 kB per action,
                // once the random-keyed indexes outgrew it; only the pages touched take memory.
                .setServerConfig("shared_buffers", "512MB")
                // At the default 1 GB a checkpoint came every 10-15 s under the benchmark's load, and after each the
                // first change to a page writes it whole to the WAL (full_page_writes), for the random-keyed indexes
                // nearly every leaf. Durability is unchanged; crash recovery replays more WAL.
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("max_connections", "100");
        EmbeddedPostgres server;
        try {
            server = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL did not start on port " + port() + logTail(30), e);
        }
        try {
            ensureRoleAndDatabase();
        } catch (SQLException e) {
            try {
                shutDown(server);
                afterStop();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw new IllegalStateException("cannot create role " + USER + " and database " + DATABASE, e);
        }
        return server;
    }

    /** Fast shutdown (pg_ctl stop -m fast): rolls back open transactions, checkpoints, exits cleanly. */
    @Override
    protected void shutDown(EmbeddedPostgres server) throws IOException {
        server.close();
    }

    /** pg_ctl gives up waiting after 5 s while the postmaster may still be finishing its checkpoint. */
    @Override
    protected void afterStop() {
        Ports.awaitFree(port(), Duration.ofSeconds(30));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public Path logFile() {
        return dir().resolveSibling("postgres.log");
    }

    /** A connection as the application role. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /** The platform's archive of PostgreSQL binaries, or an error naming the platform and the artifact it lacks. */
    static URL binaries(Platform platform) {
        URL archive = Postgres.class.getClassLoader().getResource(platform.postgres().resource());
        if (archive == null) {
            throw new IllegalStateException("No PostgreSQL binaries for " + platform + " on the class path ("
                    + platform.postgres().resource() + " from " + Platform.POSTGRES_GROUP_ID + ":"
                    + platform.postgres().artifactId() + "). local-infra's pom adds them on the machine that builds it:"
                    + " build on this machine (./ual build).");
        }
        return archive;
    }

    private String socketDirectory() {
        String socket = dir() + "/.s.PGSQL." + port();
        // '' disables unix sockets; nothing here needs them, and a too-long path would stop postgres from starting.
        return socket.length() <= MAX_SOCKET_PATH ? "'" + dir() + "'" : "''";
    }

    private void ensureRoleAndDatabase() throws SQLException {
        String superuserUrl = "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
        try (Connection c = DriverManager.getConnection(superuserUrl, "postgres", "")) {
            try (Statement st = c.createStatement()) {
                String verb = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER) ? "ALTER" : "CREATE";
                st.execute(verb + " ROLE " + identifier(USER) + " LOGIN PASSWORD " + literal(PASSWORD));
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                try (Statement st = c.createStatement()) {
                    // Byte-order comparison of text: the projection's indexes on (study, session_id, seq) compare
                    // session ids on every insert, each through strcoll under a locale's collation, even C.UTF-8,
                    // whose order is the same (docs/architecture.md, Tables). Character classes stay the cluster's.
                    st.execute("CREATE DATABASE " + identifier(DATABASE) + " OWNER " + identifier(USER)
                            + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C'");
                }
            }
        }
    }

    /** Whether {@code query} finds a row for {@code name}. */
    private static boolean exists(Connection c, String query, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
