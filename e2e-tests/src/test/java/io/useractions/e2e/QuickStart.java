package io.useractions.e2e;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The commands of the README's quick start, read from its first code block as a newcomer copies them. */
final class QuickStart {
    static final String HEADING = "## Quick start";
    private static final Pattern CODE_BLOCK = Pattern.compile("^```[a-z]*\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);
    /** A shell comment: a # at the start or after blanks; a # inside a word (a URL's anchor) is not one. */
    static final Pattern COMMENT = Pattern.compile("(^|\\s+)#.*$");

    private QuickStart() {
    }

    /** The commands, without comments and blank lines; fails unless the section has exactly two. */
    static List<String> commands(String readme) {
        Matcher heading = Pattern.compile("^" + Pattern.quote(HEADING) + "\\s*$", Pattern.MULTILINE).matcher(readme);
        if (!heading.find()) {
            throw new AssertionError("README.md has no '" + HEADING + "' section");
        }
        int next = readme.indexOf("\n## ", heading.end());
        String section = readme.substring(heading.end(), next < 0 ? readme.length() : next);
        Matcher block = CODE_BLOCK.matcher(section);
        if (!block.find()) {
            throw new AssertionError("README.md's '" + HEADING + "' section has no code block");
        }
        List<String> commands = block.group(1).lines()
                .map(line -> COMMENT.matcher(line).replaceFirst("").strip())
                .filter(line -> !line.isEmpty())
                .toList();
        if (commands.size() != 2) {
            throw new AssertionError("README.md's quick start must be exactly two commands (run, then test), but its"
                    + " code block has " + commands.size() + ": " + commands);
        }
        return commands;
    }
}
