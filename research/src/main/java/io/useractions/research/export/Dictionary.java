package io.useractions.research.export;

import java.util.List;

/** dictionary.md: the same column descriptions as datapackage.json, for people. */
public final class Dictionary {

    private Dictionary() {
    }

    public static String markdown(ExportRequest request, List<Table> tables) {
        ExportFilter f = request.filter();
        StringBuilder b = new StringBuilder("# Data dictionary: study ").append(f.study()).append("\n\n");
        b.append("Rows: ").append(filterText(request)).append(".\n\n");
        b.append("Files are ").append(request.format() == Format.CSV
                ? "CSV (RFC 4180, UTF-8, CRLF, header row; an empty field is a missing value)"
                : "Parquet (typed columns, ZSTD)").append(". Times are ISO-8601 instants in UTC at millisecond"
                + " precision. Positions are CSS pixels with y growing downwards, except in trajectories_tn and"
                + " measures, which follow mousetrap's standard preparation (y up, remapped, start at 0,0). A"
                + " trial (`mt_id`) is the stretch of a session from a `" + request.markers().start()
                + "` action to the next `" + request.markers().end() + "` in seq order; the next start or the"
                + " session's end first makes it incomplete.\n");
        for (Table t : tables) {
            b.append("\n## ").append(t.fileName(request.format())).append("\n\n")
                    .append(capitalized(t.description())).append(". Key: ")
                    .append(String.join(", ", t.primaryKey())).append(".\n\n")
                    .append("| column | type | unit | frame | description |\n|---|---|---|---|---|\n");
            for (Column c : t.columns()) {
                b.append("| `").append(c.name()).append("` | ").append(c.type().frictionless())
                        .append(c.required() ? "" : " (may be empty)").append(" | ")
                        .append(cell(c.unit())).append(" | ").append(cell(c.frame())).append(" | ")
                        .append(c.description().replace("|", "\\|")).append(" |\n");
            }
        }
        return b.toString();
    }

    private static String filterText(ExportRequest r) {
        ExportFilter f = r.filter();
        StringBuilder b = new StringBuilder("study `" + f.study() + "`");
        if (f.condition() != null) {
            b.append(", condition `").append(f.condition()).append('`');
        }
        if (f.participant() != null) {
            b.append(", participant `").append(f.participant()).append('`');
        }
        if (f.from() != null || f.to() != null) {
            b.append(", server_time in [").append(f.from() == null ? "-inf" : f.from()).append(", ")
                    .append(f.to() == null ? "inf" : f.to()).append(") (trials by their start)");
        }
        if (f.completeOnly()) {
            b.append(", complete trials only");
        }
        return b.append(", trajectories in the ").append(r.frame().label()).append(" frame").toString();
    }

    private static String cell(String s) {
        return s == null ? "" : s;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
