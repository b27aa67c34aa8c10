package io.useractions.research.export;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.useractions.model.trial.TrialMarkers;
import io.useractions.research.trial.Frame;

/**
 * An export request from named text options, the one reading of them for the command line ({@code
 * --study demo}) and the HTTP API ({@code ?study=demo}): study, condition, participant, from, to,
 * complete-only, tables, format, start, end, miss, frame, and mousetrap's remap, flip-threshold,
 * initiation-threshold and steps. A bad value is an {@link ExportRequestException} naming the option.
 */
public final class ExportOptions {
    public static final List<String> NAMES = List.of("study", "condition", "participant", "from", "to",
            "complete-only", "tables", "format", "start", "end", "miss", "frame", "remap", "flip-threshold",
            "initiation-threshold", "steps");

    private ExportOptions() {
    }

    /** {@code option} gives an option's value by name, or null when it is not given. */
    public static ExportRequest request(Function<String, String> option) {
        String study = option.apply("study");
        if (study == null || study.isBlank()) {
            throw new ExportRequestException("study is required");
        }
        ExportFilter filter = new ExportFilter(study, option.apply("condition"), option.apply("participant"),
                ExportFilter.parseTime("from", option.apply("from")), ExportFilter.parseTime("to", option.apply("to")),
                flag(option.apply("complete-only")));
        Set<TableName> tables = EnumSet.noneOf(TableName.class);
        String names = option.apply("tables");
        if (names != null) {
            for (String name : names.split(",")) {
                if (!name.isBlank()) {
                    tables.add(TableName.parse(name));
                }
            }
            if (tables.isEmpty()) {
                throw new ExportRequestException("tables names no table");
            }
        }
        TrialMarkers markers;
        try {
            markers = new TrialMarkers(orDefault(option.apply("start"), TrialMarkers.DEFAULT.start()),
                    orDefault(option.apply("end"), TrialMarkers.DEFAULT.end()),
                    orDefault(option.apply("miss"), TrialMarkers.DEFAULT.miss()));
        } catch (IllegalArgumentException e) {
            throw new ExportRequestException(e.getMessage());
        }
        Frame frame;
        try {
            frame = Frame.parse(orDefault(option.apply("frame"), "client"));
        } catch (IllegalArgumentException e) {
            throw new ExportRequestException(e.getMessage());
        }
        Analysis analysis = new Analysis(bool("remap", option.apply("remap"), true),
                number("flip-threshold", option.apply("flip-threshold"), 0),
                number("initiation-threshold", option.apply("initiation-threshold"), 0),
                (int) number("steps", option.apply("steps"), Analysis.MOUSETRAP.steps()));
        return new ExportRequest(filter, tables, Format.parse(orDefault(option.apply("format"), "csv")), markers,
                frame, analysis);
    }

    private static boolean bool(String name, String value, boolean fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("on")) {
            return true;
        }
        if (value.equalsIgnoreCase("false") || value.equalsIgnoreCase("off")) {
            return false;
        }
        throw new ExportRequestException(name + ": '" + value + "' is neither true nor false");
    }

    private static double number(String name, String value, double fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double number = Double.parseDouble(value.trim());
            if (name.equals("steps") && number != Math.rint(number)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new ExportRequestException(name + ": '" + value + "' is not a "
                    + (name.equals("steps") ? "whole number" : "number"));
        }
    }

    /** A flag given without a value (the command line) or as true/false (a query parameter). */
    private static boolean flag(String value) {
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("true")) {
            return value != null;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ExportRequestException("complete-only: '" + value + "' is neither true nor false");
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
