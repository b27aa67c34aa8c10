package io.useractions.infra;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import redis.embedded.RedisServer;

/**
 * A real redis-server used as the dedupe cache: bound to loopback, memory-capped, no persistence.
 * The binary that embedded-redis bundles for this machine's {@link Platform} is used unless
 * UAL_REDIS_SERVER_BINARY names another one.
 */
public final class Redis extends EmbeddedServer<Redis, RedisServer> {

    public static final String BINARY_ENV = "UAL_REDIS_SERVER_BINARY";

    /**
     * A server whose binary, redis.conf and redis.log are in {@code dir} (redis itself writes nothing there).
     * A port of 0 picks a free one now, so a restart reuses it.
     */
    public Redis(Path dir, int port) {
        super("Redis", dir, port);
    }

    @Override
    protected RedisServer launch() {
        Processes.createDirectories(dir());
        try {
            List<String> command = new ArrayList<>();
            command.add(executable().getAbsolutePath());
            command.add(writeConfig().toString());
            Consumer<String> toLog = this::appendToLog;
            RedisServer server = new RedisServer(port(), Processes.inOwnSession(command), false, toLog, toLog);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Redis did not start on port " + port() + logTail(20), e);
        }
    }

    /** SIGTERM; with persistence off redis exits at once. */
    @Override
    protected void shutDown(RedisServer server) throws IOException {
        server.stop();
    }

    @Override
    protected boolean isAlive(RedisServer server) {
        return server.isActive();
    }

    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    public Path logFile() {
        return dir().resolve("redis.log");
    }

    private File executable() throws IOException {
        String override = System.getenv(BINARY_ENV);
        if (override != null && !override.isBlank()) {
            File file = new File(override);
            if (!file.canExecute()) {
                throw new IOException(BINARY_ENV + "=" + override + " is not an executable file");
            }
            return file;
        }
        Platform platform = Platform.current();
        for (Path library : platform.redis().libraries()) {
            if (!Files.exists(library)) {
                throw new IllegalStateException("The redis-server bundled for " + platform + " needs " + library
                        + ", which is missing: install it (brew install openssl@3), or set " + BINARY_ENV
                        + " to another redis-server (brew install redis).");
            }
        }
        // embedded-redis would unpack into java.io.tmpdir; keep the binary with the rest of this server's files.
        String resource = platform.redis().resource();
        return Processes.unpackExecutable(resource, dir().resolve(Path.of(resource).getFileName())).toFile();
    }

    private Path writeConfig() throws IOException {
        String config = String.join("\n",
                "bind 127.0.0.1",
                "port " + port(),
                "dir \"" + dir() + "\"",
                "maxmemory 256mb",
                "maxmemory-policy volatile-ttl",
                // The dedupe cache's sets hold millions of ids at high rates: evicting or expiring one
                // frees them in a background thread instead of stalling every command for seconds.
                "lazyfree-lazy-eviction yes",
                "lazyfree-lazy-expire yes",
                "save \"\"",
                "appendonly no",
                "");
        Path file = dir().resolve("redis.conf");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(logFile(), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // losing a log line must not take the cache down
        }
    }
}
