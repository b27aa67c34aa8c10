package io.useractions.research.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What the project's commands ({@code ./ual export}, {@code ./ual measures}, {@code ./ual bench}) share: their
 * options listed as declared, {@code -h/--help} and {@code -V/--version} ({@link HelpOptions}), and bad
 * arguments answered as picocli answers its own (the message, the usage, exit status 2).
 */
@Command(sortOptions = false, sortSynopsis = false, usageHelpAutoWidth = true)
public abstract class ProjectCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOptions helpOptions;

    /** The command as parsed. */
    protected CommandSpec spec() {
        return spec;
    }

    /** A bad argument, to throw: {@code message} names it. */
    protected ParameterException badArgument(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
