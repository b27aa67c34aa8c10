package io.useractions.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/** framework-properties.txt: the Quarkus properties set by deployments beyond application.properties. */
final class FrameworkProperties {

    private FrameworkProperties() {
    }

    static Set<String> forService(String artifactId) {
        Set<String> out = new LinkedHashSet<>();
        try (InputStream in = FrameworkProperties.class.getResourceAsStream("/framework-properties.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String content = line.replaceFirst("#.*", "").trim();
                if (content.isEmpty()) {
                    continue;
                }
                String[] fields = content.split("\\s+");
                if (fields[0].equals("*") || fields[0].equals(artifactId)) {
                    out.add(fields[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
