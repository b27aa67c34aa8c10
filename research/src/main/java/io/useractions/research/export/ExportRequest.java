package io.useractions.research.export;

import java.util.EnumSet;
import java.util.Set;

import io.useractions.model.trial.TrialMarkers;
import io.useractions.research.trial.Frame;

/**
 * What to export: rows (filter), tables, format, how trials are cut, which frame trajectories use and how
 * they are measured.
 */
public record ExportRequest(ExportFilter filter, Set<TableName> tables, Format format, TrialMarkers markers,
                            Frame frame, Analysis analysis) {

    public ExportRequest {
        if (filter == null) {
            throw new ExportRequestException("a filter with the study is required");
        }
        tables = tables == null || tables.isEmpty() ? EnumSet.allOf(TableName.class) : EnumSet.copyOf(tables);
        format = format == null ? Format.CSV : format;
        markers = markers == null ? TrialMarkers.DEFAULT : markers;
        frame = frame == null ? Frame.CLIENT : frame;
        analysis = analysis == null ? Analysis.MOUSETRAP : analysis;
    }

    public ExportRequest(ExportFilter filter, Set<TableName> tables, Format format, TrialMarkers markers, Frame frame) {
        this(filter, tables, format, markers, frame, null);
    }

    public static ExportRequest of(ExportFilter filter) {
        return new ExportRequest(filter, null, null, null, null, null);
    }

    public ExportRequest withTables(Set<TableName> tables) {
        return new ExportRequest(filter, tables, format, markers, frame, analysis);
    }

    public ExportRequest withFormat(Format format) {
        return new ExportRequest(filter, tables, format, markers, frame, analysis);
    }

    public ExportRequest withFrame(Frame frame) {
        return new ExportRequest(filter, tables, format, markers, frame, analysis);
    }

    public ExportRequest withFilter(ExportFilter filter) {
        return new ExportRequest(filter, tables, format, markers, frame, analysis);
    }

    public ExportRequest withAnalysis(Analysis analysis) {
        return new ExportRequest(filter, tables, format, markers, frame, analysis);
    }

    public ExportRequest withMarkers(TrialMarkers markers) {
        return new ExportRequest(filter, tables, format, markers, frame, analysis);
    }
}
