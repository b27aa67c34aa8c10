package io.useractions.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** {@code ./ual bench --crypto}'s phase on a short run: its rows exist and hold figures that can be true. */
class CryptoPhaseTest {
    @Test
    void reportsCostPerActionBytesAddedAndLostCompression() {
        Report report = new Report();
        new CryptoPhase(new PrintStream(new ByteArrayOutputStream()), report, Duration.ofMillis(200),
                Duration.ofMillis(200)).run(Workload.create(20, 50, 100, 42), 20);
        Map<String, String> results = report.rows().stream()
                .collect(Collectors.toMap(row -> row[0], row -> row[1], (a, b) -> a, java.util.LinkedHashMap::new));
        assertEquals(List.of("crypto: seal (AES-256-GCM)", "crypto: open", "crypto: for scale, decode a raw record",
                "crypto: bytes added", "crypto: raw topic bytes, lz4", "crypto: as wired, seal (zstd, AES-GCM)",
                "crypto: as wired, open (AES-GCM, zstd)", "crypto: as wired, session state",
                "crypto: as wired, pipeline CPU", "crypto: as wired, raw topic bytes"),
                List.copyOf(results.keySet()));
        for (String timed : List.of("crypto: seal (AES-256-GCM)", "crypto: open", "crypto: as wired, seal (zstd, "
                + "AES-GCM)", "crypto: as wired, open (AES-GCM, zstd)", "crypto: as wired, session state")) {
            double micros = Double.parseDouble(results.get(timed).replace(" µs/action", ""));
            assertTrue(micros > 0 && micros < 100, timed + ": " + micros);
        }
        // 33 bytes (version 1, key id 4, nonce 12, tag 16) over 50 actions a record.
        assertEquals("0.66 B/action", results.get("crypto: bytes added"));
        String[] lz4 = results.get("crypto: raw topic bytes, lz4").replace(" B/action", "").split(" → ");
        assertTrue(Double.parseDouble(lz4[1]) > Double.parseDouble(lz4[0]), "sealed records do not compress: "
                + results.get("crypto: raw topic bytes, lz4"));
        String[] wired = results.get("crypto: as wired, raw topic bytes").replace(" B/action", "").split(" → ");
        assertTrue(Double.parseDouble(wired[1]) < Double.parseDouble(lz4[1]), "compressed before sealing, smaller than "
                + "sealed alone: " + results.get("crypto: as wired, raw topic bytes"));
    }
}
