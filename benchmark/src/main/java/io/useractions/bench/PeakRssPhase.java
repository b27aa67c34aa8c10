package io.useractions.bench;

import java.util.List;
import java.util.Locale;

import io.useractions.infra.Apps;
import io.useractions.infra.ServiceProcess;

/** Peak resident memory (VmHWM) of the ingest service and of each processor, next to its target and JVM options. */
record PeakRssPhase(Rig rig, List<String> ingestJvm, List<String> processorJvm) {
    void ingest() {
        row(rig.ingest(), 300, ingestJvm);
    }

    void processors() {
        for (ServiceProcess each : rig.apps().of(Apps.PROCESSOR)) {
            row(each, 400, processorJvm);
        }
    }

    private void row(ServiceProcess service, int targetMb, List<String> jvm) {
        rig.report().row("peak RSS: " + service.spec().name(), String.format(Locale.ROOT, "%.0f MB",
                ProcStatus.peakRssBytes(service.pid()) / 1e6), "target ≤ " + targetMb + " MB; " + String.join(" ", jvm));
    }
}
