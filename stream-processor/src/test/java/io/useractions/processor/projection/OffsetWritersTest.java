package io.useractions.processor.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every write of the sink's stored offsets must be fenced. The fenced statements live in {@link
 * ProjectionWriter}; a statement elsewhere that inserts, updates or deletes {@code projection_offset}
 * (the replay's swap, a tool) would bypass the fence, so none may exist.
 */
class OffsetWritersTest {
    private static final Pattern WRITE = Pattern.compile(
            "(insert\\s+into|update|delete\\s+from|truncate(\\s+table)?)\\s+projection_offset\\b",
            Pattern.CASE_INSENSITIVE);

    @Test
    void onlyTheFencedWriterWritesStoredOffsets() throws IOException {
        List<String> writers;
        try (Stream<Path> sources = Files.walk(Path.of("src/main"))) {
            writers = sources.filter(Files::isRegularFile)
                    .filter(path -> path.toString().endsWith(".java") || path.toString().endsWith(".sql"))
                    .filter(path -> WRITE.matcher(read(path)).find())
                    .map(path -> path.getFileName().toString())
                    .toList();
        }
        assertEquals(List.of("ProjectionWriter.java"), writers);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
