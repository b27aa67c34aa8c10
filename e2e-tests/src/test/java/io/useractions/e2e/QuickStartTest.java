package io.useractions.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

class QuickStartTest {

    private static String readme(String block) {
        return """
                # Project

                ```mermaid
                flowchart LR
                ```

                ## Quick start

                On a fresh machine:

                ```bash
                %s```

                ```
                 Ingest          POST http://127.0.0.1:8080/v1/batches
                ```

                ## Next
                """.formatted(block);
    }

    @Test
    void theTwoCommandsWithoutTheirComments() {
        assertEquals(List.of("./ual run", "./ual test"), QuickStart.commands(readme("""
                ./ual run     # builds, then runs everything
                # a line of its own

                ./ual test    # runs every test
                """)));
    }

    @Test
    void aHashInsideAWordIsNoComment() {
        assertEquals(List.of("open http://127.0.0.1:8070/#study", "./ual test"), QuickStart.commands(readme("""
                open http://127.0.0.1:8070/#study
                ./ual test
                """)));
    }

    @Test
    void anythingButTwoCommandsFailsAndSaysWhatItFound() {
        AssertionError one = assertThrows(AssertionError.class, () -> QuickStart.commands(readme("./ual run\n")));
        assertTrue(one.getMessage().contains("exactly two commands") && one.getMessage().contains("[./ual run]"),
                one.getMessage());
        AssertionError three = assertThrows(AssertionError.class,
                () -> QuickStart.commands(readme("./ual build\n./ual run\n./ual test\n")));
        assertTrue(three.getMessage().contains("has 3"), three.getMessage());
    }

    @Test
    void aMissingSectionOrBlockIsNamed() {
        AssertionError section = assertThrows(AssertionError.class, () -> QuickStart.commands("# Project\n\n## Usage\n"));
        assertTrue(section.getMessage().contains("no '## Quick start' section"), section.getMessage());
        AssertionError block = assertThrows(AssertionError.class,
                () -> QuickStart.commands("## Quick start\n\nRun it.\n\n## Next\n\n```\n./ual run\n```\n"));
        assertTrue(block.getMessage().contains("has no code block"), block.getMessage());
    }

    @Test
    void theReadmeHasTwo() throws Exception {
        List<String> commands = QuickStart.commands(Files.readString(TestPipeline.HOME.resolve("README.md")));
        assertTrue(commands.get(0).startsWith("./ual "), commands.toString());
    }
}
