package io.useractions.research.export;

import java.util.EnumSet;
import java.util.Set;

import io.useractions.research.trial.Frame;
import io.useractions.research.trial.TrialMarkers;

/** What to export: rows (filter), tables, format, how trials are cut and which frame trajectories use. */
public record ExportRequest(ExportFilter filter, Set<TableName> tables, Format format, TrialMarkers markers,
                            Frame frame) {

    public ExportRequest {
        if (filter == null) {
            throw new ExportRequestException("a filter with the study is required");
        }
        tables = tables == null || tables.isEmpty() ? EnumSet.allOf(TableName.class) : EnumSet.copyOf(tables);
        format = format == null ? Format.CSV : format;
        markers = markers == null ? TrialMarkers.DEFAULT : markers;
        frame = frame == null ? Frame.CLIENT : frame;
    }

    public static ExportRequest of(ExportFilter filter) {
        return new ExportRequest(filter, null, null, null, null);
    }

    public ExportRequest withTables(Set<TableName> tables) {
        return new ExportRequest(filter, tables, format, markers, frame);
    }

    public ExportRequest withFormat(Format format) {
        return new ExportRequest(filter, tables, format, markers, frame);
    }

    public ExportRequest withFrame(Frame frame) {
        return new ExportRequest(filter, tables, format, markers, frame);
    }

    public ExportRequest withMarkers(TrialMarkers markers) {
        return new ExportRequest(filter, tables, format, markers, frame);
    }
}
