package io.useractions.research.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/**
 * {@code -h/--help} and {@code -V/--version} of the project's commands ({@code ./ual export}, {@code ./ual measures},
 * {@code ./ual bench}): picocli's standard help options with the project's version, worded as the rest of
 * their help. {@link ProjectCommand} takes them for every command.
 */
@Command(versionProvider = HelpOptions.ProjectVersion.class)
public final class HelpOptions {

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Print this help and exit.")
    private boolean help;

    @Option(names = { "-V", "--version" }, versionHelp = true, description = "Print the version and exit.")
    private boolean version;

    /** "COMMAND VERSION", the version the build wrote into version.properties (the project's). */
    static final class ProjectVersion implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] { "${COMMAND-FULL-NAME} " + projectVersion() };
        }
    }

    static String projectVersion() {
        try (InputStream in = HelpOptions.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing beside " + HelpOptions.class.getName());
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
