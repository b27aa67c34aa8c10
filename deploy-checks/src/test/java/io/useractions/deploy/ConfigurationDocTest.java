package io.useractions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md against the code it describes: every variable of its table is a setting of some
 * service, each default it gives as one value is the one in that service's application.properties, and every
 * variable a service's application.properties reads or `./ual run`'s launcher reads is documented.
 */
class ConfigurationDocTest {
    private static final Repo REPO = Repo.find();
    private static final String PAGE = "docs/configuration.md";
    /** A row of the table: variables, properties, default, meaning. */
    private static final Pattern ROW = Pattern.compile("^\\| (`.+?) \\| (.+?) \\| (.+?) \\| ", Pattern.MULTILINE);
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** A whole variable name; {@code <STUDY>} stands for a study's name. */
    private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]*(?:<[A-Z]+>[A-Z0-9_]*)*");
    /** A default given as one value: one word, code or not, and nothing else. */
    private static final Pattern ONE_VALUE = Pattern.compile("`?([^`\\s/,()]+)`?");
    /** What the launcher ({@code Pipeline}) reads from its environment. */
    private static final Pattern LAUNCHER_READS =
            Pattern.compile("(?:getOrDefault|getenv|integers?)\\((?:env, )?\"(UAL_[A-Z0-9_]+)\"");
    /** Read by the launcher, but set by {@code ./ual} itself: the checkout it runs from. */
    private static final Set<String> SET_BY_UAL = Set.of("UAL_HOME");

    private record Row(List<String> variables, List<String> properties, String defaultValue) {
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        Matcher row = ROW.matcher(REPO.read(PAGE));
        while (row.find()) {
            rows.add(new Row(codes(row.group(1)), codes(row.group(2)), row.group(3).strip()));
        }
        return rows;
    }

    /** Whether some service maps the environment variable {@code name} to a setting of its own. */
    private static boolean aServiceSetting(String name) {
        return Repo.SERVICES.stream().anyMatch(s -> REPO.service(s).unknownEnvironmentVariable(name).isEmpty());
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            codes.add(code.group(1));
        }
        return codes;
    }

    @Test
    void everyVariableOfTheTableIsASettingOfSomeService() {
        List<Row> rows = rows();
        assertThat(rows).as("the rows of %s's table", PAGE).hasSizeGreaterThan(40);
        SoftAssertions softly = new SoftAssertions();
        for (Row row : rows) {
            for (String variable : row.variables()) {
                if (!VARIABLE.matcher(variable).matches()) {
                    continue; // `_PASSWORD`, `KAFKA_SSL_KEYSTORE_*`: a shorthand for the names beside it
                }
                String name = variable.replaceAll("<[A-Z]+>", "DEMO");
                softly.assertThat(aServiceSetting(name)).as("%s: %s maps to a setting of some service", PAGE, variable)
                        .isTrue();
            }
        }
        softly.assertAll();
    }

    @Test
    void aDefaultGivenAsOneValueIsTheServicesOwn() {
        SoftAssertions softly = new SoftAssertions();
        int compared = 0;
        for (Row row : rows()) {
            Matcher value = ONE_VALUE.matcher(row.defaultValue());
            if (row.properties().size() != 1 || !value.matches() || row.properties().get(0).matches(".*[*<].*")) {
                continue;
            }
            String property = row.properties().get(0);
            for (String service : Repo.SERVICES) {
                var own = REPO.service(service).property(property);
                if (own.isPresent()) {
                    compared++;
                    softly.assertThat(own.get()).as("%s: the default of %s in %s's application.properties", PAGE,
                            property, service).isEqualTo(value.group(1));
                }
            }
        }
        assertThat(compared).as("defaults compared with application.properties").isGreaterThan(20);
        softly.assertAll();
    }

    @Test
    void everyVariableTheServicesOrTheLauncherReadIsDocumented() throws IOException {
        String configuration = REPO.read(PAGE);
        StringBuilder docs = new StringBuilder(REPO.read("README.md"));
        try (Stream<Path> pages = Files.list(REPO.path("docs"))) {
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(p -> docs.append(Repo.read(p)));
        }
        SoftAssertions softly = new SoftAssertions();
        for (String service : Repo.SERVICES) {
            for (String variable : REPO.service(service).directEnvironmentVariables()) {
                softly.assertThat(docs.toString()).as("%s reads %s: the docs name it", service, variable)
                        .containsPattern("\\b" + variable + "\\b");
            }
        }
        Set<String> launcher = new LinkedHashSet<>();
        Matcher read = LAUNCHER_READS.matcher(REPO.read("local-infra/src/main/java/io/useractions/infra/Pipeline.java"));
        while (read.find()) {
            launcher.add(read.group(1));
        }
        assertThat(launcher).as("what ./ual run's launcher reads").contains("UAL_DATA_DIR", "UAL_KAFKA_PORT");
        for (String variable : launcher) {
            if (!SET_BY_UAL.contains(variable) && !aServiceSetting(variable)) {
                softly.assertThat(configuration).as("./ual run reads %s: %s names it", variable, PAGE)
                        .containsPattern("`" + variable + "`");
            }
        }
        softly.assertAll();
    }
}
