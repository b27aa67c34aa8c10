package io.useractions.research.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import io.useractions.model.ProgressLine;
import io.useractions.model.trial.TrialMarkers;
import io.useractions.research.export.Analysis;
import io.useractions.research.export.ExportOptions;
import io.useractions.research.export.ExportRequest;
import io.useractions.research.export.ExportRequestException;
import io.useractions.research.export.ExportSummary;
import io.useractions.research.export.Exporter;
import io.useractions.research.export.Format;
import io.useractions.research.export.ProgressListener;
import io.useractions.research.export.TableName;
import io.useractions.research.trial.Frame;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code ./ual export}: a study's research data to a directory (CSV or Parquet, with datapackage.json and
 * dictionary.md). The summary line on stdout, and before it, on a terminal only ({@link ProgressLine#wanted}),
 * a progress line per table. Exit status: 0 done, 2 bad arguments, unknown study or filter (one line on
 * stderr), 1 database or file failure. {@code --study} and the options after {@code --out} are {@link
 * ExportOptions#NAMES}, read by it as it reads the HTTP API's query parameters of those names.
 */
@Command(name = "./ual export",
        description = "Exports a study's research data to a directory, one file per table, with datapackage.json "
                + "and dictionary.md (docs/research.md, docs/exports.md).",
        footer = "%nThe summary line on stdout; before it, on a terminal only, a progress line per table. Exit "
                + "status: 0 done, 2 bad arguments, unknown study or filter, 1 database or file failure.")
public final class ExportCommand extends ProjectCommand {
    /** Environment variables that stand for the database options when those are not given. */
    static final String JDBC_URL_VARIABLE = "UAL_EXPORT_JDBC_URL";
    static final String USER_VARIABLE = "UAL_EXPORT_DB_USER";
    static final String PASSWORD_VARIABLE = "UAL_EXPORT_DB_PASSWORD";

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "The database (default: $" + JDBC_URL_VARIABLE
            + "; ./ual sets it to the local run's).")
    private String jdbcUrl;

    @Option(names = "--user", paramLabel = "U", description = "Its user (default: $" + USER_VARIABLE + ").")
    private String user;

    @Option(names = "--password", paramLabel = "P", description = "Its password (default: $" + PASSWORD_VARIABLE
            + ", which keeps it off the command line).")
    private String password;

    @Option(names = "--study", paramLabel = "S", required = true, description = "The study to export.")
    private String study;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The directory to write.")
    private String out;

    @Option(names = "--format", paramLabel = "csv|parquet", description = "The files' format; parquet for typed "
            + "columns (default: ${DEFAULT-VALUE}).")
    private String format = Format.CSV.extension();

    @Option(names = "--tables", paramLabel = "T[,T...]", description = "The tables to write (default: "
            + "${DEFAULT-VALUE}).")
    private String tables = Arrays.stream(TableName.values()).map(TableName::label).collect(Collectors.joining(","));

    @Option(names = "--condition", paramLabel = "C", description = "Only this condition's rows.")
    private String condition;

    @Option(names = "--participant", paramLabel = "P", description = "Only this participant's rows.")
    private String participant;

    @Option(names = "--from", paramLabel = "ISO", description = "Only rows at or after this server_time, an "
            + "ISO-8601 time with an offset (a trial by its start marker's).")
    private String from;

    @Option(names = "--to", paramLabel = "ISO", description = "Only rows before this server_time.")
    private String to;

    @Option(names = "--complete-only", description = "Only complete trials (in the trial tables).")
    private boolean completeOnly;

    @Option(names = "--start", paramLabel = "TYPE", description = "The action type that starts a trial (default: "
            + "${DEFAULT-VALUE}).")
    private String start = TrialMarkers.DEFAULT.start();

    @Option(names = "--end", paramLabel = "TYPE", description = "The one that ends it (default: ${DEFAULT-VALUE}).")
    private String end = TrialMarkers.DEFAULT.end();

    @Option(names = "--miss", paramLabel = "TYPE", description = "The one counted as a miss inside it (default: "
            + "${DEFAULT-VALUE}).")
    private String miss = TrialMarkers.DEFAULT.miss();

    @Option(names = "--frame", paramLabel = "client|page|screen", description = "The trajectories' coordinates: "
            + "viewport, document or screen (default: ${DEFAULT-VALUE}).")
    private String frame = Frame.CLIENT.label();

    @Option(names = "--remap", paramLabel = "true|false", description = "mousetrap's mt_remap_symmetric before "
            + "measuring (default: ${DEFAULT-VALUE}).")
    private String remap = String.valueOf(Analysis.MOUSETRAP.remap());

    @Mixin
    private MousetrapOptions mousetrap;

    private final Map<String, String> env;
    private final PrintStream stdout;
    private final PrintStream stderr;

    private ExportCommand(Map<String, String> env, PrintStream stdout, PrintStream stderr) {
        this.env = env;
        this.stdout = stdout;
        this.stderr = stderr;
        jdbcUrl = env.get(JDBC_URL_VARIABLE);
        user = env.getOrDefault(USER_VARIABLE, "");
        password = env.getOrDefault(PASSWORD_VARIABLE, "");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, Map.of(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return CommandLines.execute(new ExportCommand(env, out, err), args, out, err);
    }

    /** The command as {@code args} and {@code env} set it up, not yet run. */
    static ExportCommand parse(Map<String, String> env, String... args) {
        ExportCommand command = new ExportCommand(env, System.out, System.err);
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Override
    public Integer call() {
        ExportRequest request = request();
        Path dir = Path.of(out);
        Exporter exporter = new Exporter(() -> DriverManager.getConnection(jdbcUrl, user, password));
        TableLines lines = ProgressLine.wanted(env) ? new TableLines(stdout) : null;
        try {
            ExportSummary summary = exporter.toDirectory(request, dir, lines == null ? ProgressListener.NONE : lines);
            stdout.println(summary.line() + " -> " + dir);
            return 0;
        } catch (ExportRequestException e) {
            stderr.println("error: " + e.getMessage());
            return 2;
        } catch (SQLException e) {
            stderr.println("error: database " + jdbcUrl + ": " + oneLine(e.getMessage()));
            return 1;
        } catch (IOException e) {
            stderr.println("error: cannot write " + dir + ": " + oneLine(String.valueOf(e.getMessage())));
            return 1;
        } finally {
            if (lines != null) {
                lines.abandon();
            }
        }
    }

    /** The request the options make, read by {@link ExportOptions} from the options of its names. */
    ExportRequest request() {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw badArgument("--jdbc-url or $" + JDBC_URL_VARIABLE + " is required");
        }
        if (out.isBlank()) {
            throw badArgument("--out is required");
        }
        try {
            return ExportOptions.request(name -> {
                OptionSpec option = spec().findOption("--" + name);
                Object value = option == null ? null : option.getValue();
                return value == null || Boolean.FALSE.equals(value) ? null : value.toString();
            });
        } catch (ExportRequestException e) {
            throw badArgument(e.getMessage());
        }
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
