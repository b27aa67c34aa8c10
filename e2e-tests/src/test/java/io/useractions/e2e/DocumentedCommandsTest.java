package io.useractions.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class DocumentedCommandsTest {

    @Test
    void commandsOfCodeBlocksWithoutTheirCommentsAndOfInlineCode() {
        List<DocumentedCommands.Command> commands = DocumentedCommands.in("page.md", """
                Run `./ual bench --e2e-only --e2e-rates=15000,20000` alone, or `mvn verify` by hand.

                ```bash
                ./ual study rotate-key stroop2026 --overlap 1h   # the old key works --no-such 1 h more
                ./ual build && docker compose build
                ```
                """);
        assertEquals(3, commands.size(), commands.toString());
        assertEquals(new DocumentedCommands.Command("page.md:1", "bench", List.of("--e2e-only", "--e2e-rates=15000,20000"),
                List.of("--e2e-only", "--e2e-rates")), commands.get(0));
        DocumentedCommands.Command rotate = commands.get(1);
        assertEquals("page.md:4", rotate.where());
        assertEquals("rotate-key", rotate.action());
        assertEquals(List.of("--overlap"), rotate.options(), "a comment is not part of the command");
        assertEquals(new DocumentedCommands.Command("page.md:5", "build", List.of(), List.of()), commands.get(2),
                "what follows && is another command");
    }

    @Test
    void placeholdersAndBracketedOptions() {
        DocumentedCommands.Command withdraw = DocumentedCommands.in("page.md",
                "`./ual withdraw --study S --participant P [--reason TEXT]`").get(0);
        assertEquals(List.of("--study", "--participant", "--reason"), withdraw.options());
        assertNull(withdraw.action());
        DocumentedCommands.Command dlq = DocumentedCommands.in("page.md", "```\n./ual dlq redrive FROM TO\n```").get(0);
        assertEquals("redrive", dlq.action());
        DocumentedCommands.Command measures = DocumentedCommands.in("page.md",
                "```\n./ual measures --in A.csv --out B.csv [--flip-threshold N] \\\n    [--steps N]\n```").get(0);
        assertEquals(List.of("--in", "--out", "--flip-threshold"), measures.options(),
                "a continued line's rest is not read");
    }
}
