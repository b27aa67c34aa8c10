package io.useractions.research.export;

import java.util.Locale;

public enum Format {
    CSV("csv", "text/csv"), PARQUET("parquet", "application/vnd.apache.parquet");

    private final String extension;
    private final String mediaType;

    Format(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public String extension() {
        return extension;
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
