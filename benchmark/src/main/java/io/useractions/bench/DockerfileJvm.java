package io.useractions.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVM options an app's image runs with: {@code JAVA_OPTS} of its Dockerfile, the one place they are defined. */
final class DockerfileJvm {
    private static final Pattern JAVA_OPTS = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"");

    private DockerfileJvm() {
    }

    static String options(Path home, String module) {
        Path dockerfile = home.resolve(module).resolve("src/main/docker/Dockerfile.jvm");
        try {
            Matcher options = JAVA_OPTS.matcher(Files.readString(dockerfile));
            if (!options.find()) {
                throw new IllegalStateException(dockerfile + " sets no JAVA_OPTS=\"...\"");
            }
            return options.group(1).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the JVM options of " + module + " from " + dockerfile, e);
        }
    }
}
