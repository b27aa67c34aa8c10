package io.useractions.infra;

import java.time.Duration;

/**
 * A server this JVM runs as a child process ({@link KafkaBroker}, {@link ServiceProcess}): stopped
 * gracefully or killed as a crash would, and started again by the subclass after either.
 */
abstract class ChildProcess {
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** The running process, null when stopped; guarded by this. */
    protected Process process;

    /** SIGTERM, so the server shuts down in its own way; SIGKILL if it is still up after 30 s. */
    public synchronized void stop() {
        Processes.terminate(process, STOP_GRACE);
        process = null;
    }

    /** SIGKILL, as a crash would: no shutdown, no flush. */
    public synchronized void kill() {
        Processes.kill(process);
        process = null;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }
}
