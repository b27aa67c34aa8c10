package io.useractions.research.export;

import java.util.Locale;

public enum Format {
    CSV("text/csv"), PARQUET("application/vnd.apache.parquet");

    private final String mediaType;

    Format(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The files' extension, which is also the name {@link #parse} reads: the constant's name in lower case. */
    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String mediaType() {
        return mediaType;
    }

    public static Format parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExportRequestException("unknown format '" + name + "' (csv or parquet)");
        }
    }
}
