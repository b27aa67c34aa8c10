package io.useractions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md and docs/ leads somewhere: to a file of the repository and, with an
 * anchor, to a heading of that page as GitHub names it (lower case, punctuation dropped, spaces as dashes).
 */
class DocLinksTest {
    private static final Repo REPO = Repo.find();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#+\\s+(.+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern FENCE = Pattern.compile("^```.*?^```", Pattern.MULTILINE | Pattern.DOTALL);

    /** GitHub's anchor of a heading. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\- _]", "").replace(' ', '-');
    }

    private static final Map<Path, Set<String>> ANCHORS = new HashMap<>();

    /** The anchors of a page's headings, read once. */
    private static Set<String> anchors(Path page) {
        return ANCHORS.computeIfAbsent(page, DocLinksTest::readAnchors);
    }

    private static Set<String> readAnchors(Path page) {
        Set<String> anchors = new LinkedHashSet<>();
        Matcher heading = HEADING.matcher(FENCE.matcher(Repo.read(page)).replaceAll(""));
        while (heading.find()) {
            anchors.add(anchor(heading.group(1)));
        }
        return anchors;
    }

    @Test
    void anchorsAreGitHubs() {
        assertThat(anchor("Progress on a terminal")).isEqualTo("progress-on-a-terminal");
        assertThat(anchor("Why every PostgreSQL phase starts settled")).isEqualTo("why-every-postgresql-phase-starts-settled");
        assertThat(anchor("Health, metrics, dead letters and replay")).isEqualTo("health-metrics-dead-letters-and-replay");
        assertThat(anchor("`ui_action` and friends")).isEqualTo("ui_action-and-friends");
    }

    @Test
    void everyRelativeLinkLeadsToAFileAndItsAnchorToAHeading() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(REPO.path("README.md")));
        try (Stream<Path> docs = Files.list(REPO.path("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        SoftAssertions softly = new SoftAssertions();
        int anchored = 0;
        for (Path page : pages) {
            String where = REPO.root().relativize(page).toString();
            Matcher link = LINK.matcher(FENCE.matcher(Repo.read(page)).replaceAll(""));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z][a-z+.-]*:.*")) {
                    continue; // https:, mailto: ...
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(linked)) {
                    softly.fail("%s links to %s, which does not exist", where, target);
                    continue;
                }
                if (hash >= 0 && linked.toString().endsWith(".md")) {
                    anchored++;
                    softly.assertThat(anchors(linked)).as("%s links to %s: the headings of %s", where, target,
                            REPO.root().relativize(linked)).contains(target.substring(hash + 1));
                }
            }
        }
        assertThat(anchored).as("links with an anchor").isGreaterThan(10);
        softly.assertAll();
    }
}
