package io.useractions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ./ual} command that README.md and docs/ show is one ual has, with options (and, for
 * {@code study} and {@code dlq}, actions) that its help lists: a renamed or removed option fails here rather
 * than in a reader's terminal. The help is asked of ual itself, as a reader would ({@code ./ual SUB --help}),
 * over the packaged apps; none of them needs a server. QuickStartIT runs the quick start's commands.
 */
class DocumentedCommandsIT {
    private static final Path HOME = TestPipeline.HOME;
    /** A case of ual's dispatch: a subcommand. */
    private static final Pattern SUBCOMMAND = Pattern.compile("^  ([a-z-]+)\\)$", Pattern.MULTILINE);

    private static BuildStamp stamp;
    private final Map<String, String> helps = new HashMap<>();

    @BeforeAll
    static void markTheAppsBuilt() throws IOException {
        stamp = BuildStamp.markBuilt();
    }

    @AfterAll
    static void restoreTheStamp() throws IOException {
        stamp.close();
    }

    @Test
    void everyDocumentedCommandIsOneUalHasWithOptionsItsHelpLists() throws Exception {
        Set<String> subcommands = new TreeSet<>();
        Matcher dispatch = SUBCOMMAND.matcher(Files.readString(HOME.resolve("ual")));
        while (dispatch.find()) {
            subcommands.add(dispatch.group(1));
        }
        assertThat(subcommands).contains("run", "test", "bench", "replay", "export");

        List<DocumentedCommands.Command> commands = new ArrayList<>(
                DocumentedCommands.in("README.md", Files.readString(HOME.resolve("README.md"))));
        try (Stream<Path> docs = Files.list(HOME.resolve("docs"))) {
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                commands.addAll(DocumentedCommands.in("docs/" + page.getFileName(), Files.readString(page)));
            }
        }
        assertThat(commands).as("the ./ual commands the docs show").hasSizeGreaterThan(50);

        SoftAssertions softly = new SoftAssertions();
        for (DocumentedCommands.Command command : commands) {
            if (!subcommands.contains(command.subcommand())) {
                softly.fail("%s: ual has no subcommand '%s' (it has %s)", command, command.subcommand(), subcommands);
                continue;
            }
            String asked = helpOf(command);
            String help = help(asked);
            for (String option : command.options()) {
                softly.assertThat(mentions(help, option)).as("%s: %s in `./ual %s --help`", command, option, asked)
                        .isTrue();
            }
            if (Set.of("study", "dlq").contains(command.subcommand()) && command.action() != null) {
                softly.assertThat(mentions(help, command.action()))
                        .as("%s: %s in `./ual %s --help`", command, command.action(), asked).isTrue();
            }
        }
        softly.assertAll();
    }

    /**
     * `bench --research` and `bench --console`, and `bench --crypto` and `bench --summary-cost`, run other
     * commands than `bench`, each pair with a help of its own.
     */
    private static String helpOf(DocumentedCommands.Command command) {
        if (command.subcommand().equals("bench") && !command.words().isEmpty()) {
            if (Set.of("--research", "--console").contains(command.words().get(0))) {
                return "bench --research";
            }
            if (command.words().contains("--crypto") || command.words().contains("--summary-cost")) {
                return "bench --crypto";
            }
        }
        return command.subcommand();
    }

    private String help(String asked) throws IOException, InterruptedException {
        String known = helps.get(asked);
        if (known != null) {
            return known;
        }
        List<String> argv = new ArrayList<>(List.of("./ual"));
        argv.addAll(List.of(asked.split(" ")));
        argv.add("--help");
        Process process = new ProcessBuilder(argv).directory(HOME.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("./ual %s --help ended", asked).isTrue();
        assertThat(output).as("./ual %s --help", asked).doesNotContain("Building the apps");
        assertThat(process.exitValue()).as("./ual %s --help's exit status; it said:%n%s", asked, output).isZero();
        helps.put(asked, output);
        return output;
    }

    /** {@code word} as a whole word or option of {@code help}. */
    private static boolean mentions(String help, String word) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(word) + "(?![\\w-])").matcher(help).find();
    }
}
