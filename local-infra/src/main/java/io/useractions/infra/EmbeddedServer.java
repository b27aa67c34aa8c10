package io.useractions.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A server of this machine's binaries that a library runs for this JVM ({@link Postgres} through zonky,
 * {@link Redis} through embedded-redis): its files in one directory, a port fixed when it is built so that
 * a restart reuses it, and at most one running handle {@code H}.
 *
 * @param <S> the server itself, which {@link #start()} returns
 */
abstract class EmbeddedServer<S extends EmbeddedServer<S, H>, H> {

    private final String name;
    private final Path dir;
    private final int port;
    /** The running server, null when stopped; guarded by this. */
    private H running;

    /** A port of 0 picks a free one now. */
    EmbeddedServer(String name, Path dir, int port) {
        this.name = name;
        this.dir = dir.toAbsolutePath().normalize();
        this.port = Ports.orFree(port);
    }

    /** Starts the server on its port, which must be free, unless it runs already. */
    @SuppressWarnings("unchecked")
    public final synchronized S start() {
        if (running == null) {
            Ports.requireFree(port, name);
            running = launch();
        }
        return (S) this;
    }

    /** Starts the server and blocks until it serves; on failure, throws with the tail of the log. */
    protected abstract H launch();

    /** Stops the server in its own way; a stopped one is left as it is. */
    public final synchronized void stop() {
        if (running == null) {
            return;
        }
        try {
            shutDown(running);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " did not stop cleanly", e);
        } finally {
            running = null;
        }
        afterStop();
    }

    protected abstract void shutDown(H server) throws IOException;

    /** What a stop waits for after the handle is closed; nothing unless the server says otherwise. */
    protected void afterStop() {
    }

    public final synchronized boolean isRunning() {
        return running != null && isAlive(running);
    }

    /** Whether a started server still runs, as far as its handle knows. */
    protected boolean isAlive(H server) {
        return true;
    }

    public final int port() {
        return port;
    }

    /** The directory of the server's files. */
    protected final Path dir() {
        return dir;
    }

    public abstract Path logFile();

    /** The tail of the log, for an error that says why the server did not start. */
    protected final String logTail(int lines) {
        return "; tail of " + logFile() + ":\n" + Processes.tail(logFile(), lines);
    }
}
