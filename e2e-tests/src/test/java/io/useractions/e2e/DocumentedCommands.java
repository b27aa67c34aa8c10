package io.useractions.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ./ual} commands a Markdown page shows, in its code blocks and its inline code, as a reader
 * copies them: the subcommand, the words after it and the options they name.
 */
final class DocumentedCommands {
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern OPTION = Pattern.compile("^\\[?(--[a-z][a-z0-9-]*)");

    private DocumentedCommands() {
    }

    /**
     * One command: where it stands ({@code file:line}), the subcommand, the words that follow it (options
     * with their values, placeholders) and the options among them, without their values.
     */
    record Command(String where, String subcommand, List<String> words, List<String> options) {
        /** The first word after the subcommand that is no option and no placeholder, or null. */
        String action() {
            return words.isEmpty() || !words.get(0).matches("[a-z][a-z-]*") ? null : words.get(0);
        }

        @Override
        public String toString() {
            return where + ": ./ual " + subcommand + (words.isEmpty() ? "" : " " + String.join(" ", words));
        }
    }

    /** Every {@code ./ual} command of {@code markdown}, the page {@code file}. */
    static List<Command> in(String file, String markdown) {
        List<Command> commands = new ArrayList<>();
        boolean inBlock = false;
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            String where = file + ":" + (i + 1);
            if (inBlock) {
                add(commands, where, QuickStart.COMMENT.matcher(line).replaceFirst(""));
            } else {
                Matcher code = INLINE_CODE.matcher(line);
                while (code.find()) {
                    add(commands, where, code.group(1));
                }
            }
        }
        return commands;
    }

    private static void add(List<Command> commands, String where, String text) {
        int at = text.indexOf("./ual ");
        if (at < 0) {
            return;
        }
        // A shell line may go on after the command (&&, |) or on the next line (\): only this command counts.
        String command = text.substring(at).split("&&|\\|\\||(?<=\\s)\\\\$")[0].strip();
        List<String> words = new ArrayList<>(Arrays.asList(command.split("\\s+")));
        words.remove(0);
        if (words.isEmpty()) {
            return;
        }
        String subcommand = words.remove(0);
        List<String> options = new ArrayList<>();
        for (String word : words) {
            Matcher option = OPTION.matcher(word);
            if (option.find()) {
                options.add(option.group(1));
            }
        }
        commands.add(new Command(where, subcommand, List.copyOf(words), List.copyOf(options)));
    }
}
