package io.useractions.research.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.useractions.model.ProgressLine;
import io.useractions.research.export.ExportRequest;
import io.useractions.research.export.ExportOptions;
import io.useractions.research.export.ExportRequestException;
import io.useractions.research.export.ExportSummary;
import io.useractions.research.export.Exporter;
import io.useractions.research.export.ProgressListener;

/**
 * Exports a study's research data to a directory (CSV or Parquet, with datapackage.json and dictionary.md).
 * The summary line on stdout, and before it, on a terminal only ({@link ProgressLine#wanted}), a progress
 * line per table. Exit status: 0 done, 2 bad arguments, unknown study or filter (one line on stderr), 1
 * database or file failure. The database options may come from the environment instead
 * ({@link #ENVIRONMENT}), which keeps a password off the command line.
 */
public final class ExportCommand {

    static final String USAGE = "usage: export [--jdbc-url URL --user U --password P] --study S --out DIR"
            + " [--format csv|parquet] [--tables actions,positions,trials,measures,trajectories,trajectories_tn]"
            + " [--condition C] [--participant P] [--from ISO] [--to ISO] [--complete-only]"
            + " [--start trial:start --end trial:end --miss trial:miss] [--frame client|page|screen]"
            + " [--remap true|false] [--flip-threshold N] [--initiation-threshold N] [--steps N]";

    private static final Set<String> VALUED = Set.of("--jdbc-url", "--user", "--password", "--study", "--out",
            "--format", "--tables", "--condition", "--participant", "--from", "--to", "--start", "--end", "--miss",
            "--frame", "--remap", "--flip-threshold", "--initiation-threshold", "--steps");
    private static final Set<String> FLAGS = Set.of("--complete-only", "--help");

    private ExportCommand() {
    }

    /** Environment variables that stand for the database options when those are not given. */
    static final Map<String, String> ENVIRONMENT = Map.of("--jdbc-url", "UAL_EXPORT_JDBC_URL",
            "--user", "UAL_EXPORT_DB_USER", "--password", "UAL_EXPORT_DB_PASSWORD");

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, Map.of(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options;
        ExportRequest request;
        try {
            options = parse(args);
            ENVIRONMENT.forEach((option, variable) -> {
                if (!options.containsKey(option) && env.get(variable) != null) {
                    options.put(option, env.get(variable));
                }
            });
            if (options.containsKey("--help")) {
                out.println(USAGE);
                return 0;
            }
            request = request(options);
        } catch (ExportRequestException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String url = options.get("--jdbc-url");
        String user = options.getOrDefault("--user", "");
        String password = options.getOrDefault("--password", "");
        Path dir = Path.of(options.get("--out"));
        Exporter exporter = new Exporter(() -> DriverManager.getConnection(url, user, password));
        TableLines lines = ProgressLine.wanted(env) ? new TableLines(out) : null;
        try {
            ExportSummary summary = exporter.toDirectory(request, dir, lines == null ? ProgressListener.NONE : lines);
            out.println(summary.line() + " -> " + dir);
            return 0;
        } catch (ExportRequestException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (SQLException e) {
            err.println("error: database " + url + ": " + oneLine(e.getMessage()));
            return 1;
        } catch (IOException e) {
            err.println("error: cannot write " + dir + ": " + oneLine(String.valueOf(e.getMessage())));
            return 1;
        } finally {
            if (lines != null) {
                lines.abandon();
            }
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (FLAGS.contains(arg) && value == null) {
                options.put(arg, "true");
            } else if (VALUED.contains(arg)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new ExportRequestException(arg + " needs a value");
                    }
                    value = args[++i];
                }
                if (options.put(arg, value) != null) {
                    throw new ExportRequestException(arg + " given twice");
                }
            } else {
                throw new ExportRequestException("unknown argument '" + args[i] + "'");
            }
        }
        return options;
    }

    static ExportRequest request(Map<String, String> o) {
        for (String required : new String[] {"--jdbc-url", "--out"}) {
            if (o.get(required) == null || o.get(required).isBlank()) {
                throw new ExportRequestException(required + " is required");
            }
        }
        return ExportOptions.request(name -> o.get("--" + name));
    }

    /** A progress line per table on {@code out}: its rows, or for a derived table the actions read. */
    private static final class TableLines implements ProgressListener {
        private final PrintStream out;
        private ProgressLine line;

        TableLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void progress(String table, String unit, long count, long total, boolean done) {
            if (line == null) {
                line = new ProgressLine(out, table, unit, total);
            }
            if (done) {
                line.finish(count);
                line = null;
            } else {
                line.update(count);
            }
        }

        @Override
        public boolean wantsTotals() {
            return true;
        }

        /** Ends a table's line cut short by a failure. */
        void abandon() {
            if (line != null) {
                line.abandon();
            }
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ");
    }
}
