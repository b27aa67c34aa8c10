package io.useractions.research.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The tables an export can hold, in the order a package lists them. */
public enum TableName {
    ACTIONS, POSITIONS, TRIALS, MEASURES, TRAJECTORIES, TRAJECTORIES_TN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TableName parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExportRequestException("unknown table '" + name + "' (" + Arrays.stream(values())
                    .map(TableName::label).collect(Collectors.joining(", ")) + ")");
        }
    }
}
