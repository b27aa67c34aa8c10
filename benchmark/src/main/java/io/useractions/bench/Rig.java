package io.useractions.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Locale;

import io.useractions.infra.Apps;
import io.useractions.infra.ServiceProcess;

/**
 * What every phase runs against: the servers, the packaged apps, the workload, where the run keeps its
 * files, and the report each phase adds its rows to.
 */
record Rig(PrintStream out, Report report, Endpoints endpoints, Apps apps, Workload workload, Path root) {

    ServiceProcess ingest() {
        return apps.first(Apps.INGEST);
    }

    /** The ingest service's batch endpoint, where every load is sent. */
    URI batches() {
        return URI.create(ingest().url() + "/v1/batches");
    }

    /**
     * Settles PostgreSQL ({@link Settle}) before a phase that measures it, and returns what that took for the
     * phase's notes.
     */
    String settle(String before) throws Exception {
        phase("settling PostgreSQL before " + before);
        return "PostgreSQL settled first: " + Settle.postgres(endpoints);
    }

    /** Says on the console which phase, or step of one, starts now. */
    void phase(String name) {
        phase(out, name);
    }

    static void phase(PrintStream out, String name) {
        out.printf(Locale.ROOT, "[bench %s] %s%n", LocalTime.now().withNano(0), name);
    }
}
