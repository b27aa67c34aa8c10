package io.useractions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The pages a newcomer walks the code with, architecture.md's code map and development.md, name only types
 * that exist: every type name they show as code ({@code `SessionTables`}, {@code `ApiError.code`}) is a
 * class, record, enum or interface of the repository, or one of the few outside it they mention.
 */
class CodeMapTest {
    private static final Repo REPO = Repo.find();
    /** A type name as code, alone or before a member: upper case first, then at least one lower case letter. */
    private static final Pattern TYPE_AS_CODE = Pattern.compile("`([A-Z][a-z0-9][A-Za-z0-9]*)(?:[.#][A-Za-z_][A-Za-z0-9_]*)*(?:\\(\\))?`");
    private static final Pattern DECLARATION = Pattern.compile("\\b(?:class|record|enum|interface) ([A-Z][A-Za-z0-9]*)");
    /** Named by the pages, defined outside the repository's Java: the JDK's, Kafka Streams' and the logger's global. */
    private static final Set<String> OUTSIDE = Set.of("Double", "Integer", "TopologyTestDriver", "UserLogger");
    private static final Set<String> SKIPPED = Set.of("target", "node_modules", ".git");

    @Test
    void theCodeMapNamesOnlyTypesThatExist() {
        Set<String> types = declaredTypes();
        assertThat(types).as("types declared in the repository's Java").contains("SessionTables", "ApiError", "CodeMapTest");
        SoftAssertions softly = new SoftAssertions();
        int named = 0;
        for (String page : new String[] {"docs/architecture.md", "docs/development.md"}) {
            Matcher type = TYPE_AS_CODE.matcher(REPO.read(page));
            while (type.find()) {
                named++;
                String name = type.group(1);
                softly.assertThat(types.contains(name) || OUTSIDE.contains(name))
                        .as("%s names %s, which no Java file of the repository declares", page, type.group()).isTrue();
            }
        }
        assertThat(named).as("type names on the two pages").isGreaterThan(150);
        softly.assertAll();
    }

    /** The types the repository's Java files declare; build output, npm's packages and git's store not entered. */
    private static Set<String> declaredTypes() {
        Set<String> types = new HashSet<>();
        try {
            Files.walkFileTree(REPO.root(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return SKIPPED.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (file.toString().endsWith(".java")) {
                        Matcher declaration = DECLARATION.matcher(Repo.read(file));
                        while (declaration.find()) {
                            types.add(declaration.group(1));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return types;
    }
}
