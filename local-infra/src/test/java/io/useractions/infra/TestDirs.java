package io.useractions.infra;

import java.nio.file.Path;
import java.util.UUID;

final class TestDirs {

    private TestDirs() {
    }

    /** Under target/, not /tmp: the servers unpack binaries next to their data, and failures stay inspectable. */
    static Path fresh(String name) {
        return Path.of("target", "test-data", name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
    }
}
