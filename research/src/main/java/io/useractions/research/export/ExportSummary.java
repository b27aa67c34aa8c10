package io.useractions.research.export;

import java.util.List;
import java.util.Locale;

/** What an export wrote. */
public record ExportSummary(String study, Format format, List<TableSummary> tables, double seconds) {

    public ExportSummary {
        tables = List.copyOf(tables);
    }

    public long rows() {
        return tables.stream().mapToLong(TableSummary::rows).sum();
    }

    public long bytes() {
        return tables.stream().mapToLong(TableSummary::bytes).sum();
    }

    /** e.g. "exported study s: 4 tables, 1234567 rows, 45.6 MB of csv in 12.3 s (100372 rows/s)" */
    public String line() {
        return String.format(Locale.ROOT, "exported study %s: %d tables, %d rows, %.1f MB of %s in %.1f s (%.0f rows/s)",
                study, tables.size(), rows(), bytes() / 1e6, format.extension(), seconds,
                seconds <= 0 ? 0 : rows() / seconds);
    }
}
