package io.useractions.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.useractions.infra.LocalInfraTestResource;

/**
 * The ingest's one test profile besides the default: rate limits low enough to reach in a test, a short
 * idle timeout ({@link AccessTest}), sealing on ({@link SealedIngestTest}) and a body limit below the size
 * RESTEasy buffers ({@link ChunkedBodyTest}). One profile for both, as each
 * profile builds the application again (docs/development.md, "How long CI takes"). It uses the servers
 * that the default profile started, which runs first ({@link DefaultProfileFirstOrderer}), and must not
 * stop or restart them. Their studies keep them apart: AccessTest exhausts the key limit of "limited",
 * SealedIngestTest sends to "sealed" and ChunkedBodyTest to "chunked", each with a key bucket of its own.
 */
public class LowLimitsAndSealing implements QuarkusTestProfile {
    static final String MASTER_KEY = "dWFsLWxvY2FsLWRldi1tYXN0ZXIta2V5LTMyYnl0ZXM=";
    static final String SEALED_STUDY = "sealed";
    static final String SEALED_KEY = "sealed-key";
    /** Lower than quarkus.rest.input-buffer-size (1M), so that a chunked body over it is buffered whole. */
    static final int MAX_BODY_BYTES = 65_536;
    static final String CHUNKED_STUDY = "chunked";
    static final String CHUNKED_KEY = "chunked-key";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("ual.ingest.rate-limit.per-address", "20"),
                Map.entry("ual.ingest.rate-limit.per-address-burst", "20"),
                Map.entry("ual.ingest.rate-limit.per-key", "2"),
                Map.entry("ual.ingest.rate-limit.per-key-burst", "3"),
                Map.entry("quarkus.http.idle-timeout", "2s"),
                Map.entry("ual.ingest.max-body-bytes", Integer.toString(MAX_BODY_BYTES)),
                Map.entry("ual.ingest.access.studies." + CHUNKED_STUDY + ".write-key", CHUNKED_KEY),
                Map.entry("ual.ingest.access.studies." + CHUNKED_STUDY + ".origins", "http://127.0.0.1:8090"),
                Map.entry("ual.ingest.access.studies.limited.write-key", "limited-key"),
                Map.entry("ual.ingest.access.studies.limited.origins", "http://limited.example"),
                Map.entry("ual.ingest.access.studies." + SEALED_STUDY + ".write-key", SEALED_KEY),
                Map.entry("ual.ingest.access.studies." + SEALED_STUDY + ".origins", "http://127.0.0.1:8090"),
                Map.entry("ual.ingest.crypto.enabled", "true"),
                Map.entry("ual.ingest.crypto.master-key", MASTER_KEY),
                Map.entry("ual.ingest.crypto.key-cache-ttl", "1s"));
    }

    /**
     * The processor's tables that sealing reads and writes (withdrawals, studies, participant keys), from
     * its migrations; every class of this profile calls it first, as any accepted batch makes a key.
     */
    static synchronized void createSealingTables() throws IOException, SQLException {
        Path migrations = Path.of("..", "stream-processor", "src", "main", "resources", "db", "migration");
        try (Connection c = LocalInfraTestResource.infra().postgres().connect(); Statement statement = c.createStatement()) {
            for (String[] table : new String[][] { { "participant_withdrawal", "V9__participant_withdrawal.sql" },
                    { "study", "V10__studies.sql" }, { "participant_key", "V13__participant_key.sql" } }) {
                ResultSet exists = statement.executeQuery("select to_regclass('" + table[0] + "') is not null");
                exists.next();
                if (!exists.getBoolean(1)) {
                    statement.execute(Files.readString(migrations.resolve(table[1])));
                }
            }
        }
    }
}
