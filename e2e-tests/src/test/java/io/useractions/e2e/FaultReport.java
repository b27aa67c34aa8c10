package io.useractions.e2e;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The printed report of a fault run: labelled lines, one line per fault, and the verdict. */
final class FaultReport {
    private final StringBuilder text = new StringBuilder();

    FaultReport(String title) {
        text.append("\n==== ").append(title).append(" ====\n");
    }

    /** How one fault went: down = fault start to fault end; the rest counted from the fault's end. */
    record FaultResult(String name, long downMillis, long firstAckMillis, long caughtUpMillis,
            Map<String, Long> milestones, long unavailable) {

        String describe() {
            String extra = milestones.entrySet().stream()
                    .map(m -> String.format(", %s +%.1f s", m.getKey(), m.getValue() / 1000.0))
                    .collect(Collectors.joining());
            return String.format("   %-26s down %4.1f s, first 2xx +%.1f s, caught up +%4.1f s%s; 503s %d", name,
                    downMillis / 1000.0, firstAckMillis / 1000.0, caughtUpMillis / 1000.0, extra, unavailable);
        }
    }

    FaultReport line(String label, String format, Object... args) {
        text.append(String.format(" %-16s %s%n", label, String.format(format, args)));
        return this;
    }

    FaultReport faults(List<FaultResult> faults) {
        text.append(" recovery         (down = fault start to fault end; the rest counted from fault end)\n");
        for (FaultResult fault : faults) {
            text.append(fault.describe()).append('\n');
        }
        return line("max recovery", "first 2xx %.1f s, projection caught up %.1f s",
                faults.stream().mapToLong(FaultResult::firstAckMillis).max().orElse(0) / 1000.0,
                faults.stream().mapToLong(FaultResult::caughtUpMillis).max().orElse(0) / 1000.0);
    }

    /** Ends the report with PASS, or FAIL and every failure; returns the whole text. */
    String verdict(List<String> failures) {
        text.append(failures.isEmpty() ? " result           PASS\n"
                : " result           FAIL\n   - " + String.join("\n   - ", failures) + "\n");
        return text.toString();
    }
}
