package io.useractions.testing;

import java.nio.file.Path;
import java.util.UUID;

/** Fresh directories for a test's servers and files. */
public final class TestDirs {

    private TestDirs() {
    }

    /** Under target/, not /tmp: the servers unpack binaries next to their data, and failures stay inspectable. */
    public static Path fresh(String name) {
        return Path.of("target", "test-data", name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
    }
}
