package io.useractions.research.export;

import java.util.List;
import java.util.StringJoiner;

/**
 * datapackage.json: a Frictionless Data Package with one resource and Table Schema per table. Units and
 * coordinate frames are custom field properties ({@code unit}, {@code frame}), which the specification
 * allows. No creation time, so a repeated export of unchanged data is byte-identical.
 */
public final class DataPackage {

    private DataPackage() {
    }

    public static String json(ExportRequest request, List<Table> tables) {
        ExportFilter f = request.filter();
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"profile\": \"tabular-data-package\",\n");
        b.append("  \"name\": ").append(Json.string(packageName(f.study()))).append(",\n");
        b.append("  \"title\": ").append(Json.string("User actions of study " + f.study())).append(",\n");
        b.append("  \"description\": ").append(Json.string("Actions, pointer positions, trials, mousetrap"
                + " measures and trajectories exported by user-actions-logging; see dictionary.md.")).append(",\n");
        b.append("  \"useractions:filter\": {")
                .append("\"study\": ").append(Json.string(f.study()))
                .append(", \"condition\": ").append(Json.string(f.condition()))
                .append(", \"participant\": ").append(Json.string(f.participant()))
                .append(", \"server_time_from\": ").append(Json.string(f.from() == null ? null : f.from().toString()))
                .append(", \"server_time_to\": ").append(Json.string(f.to() == null ? null : f.to().toString()))
                .append(", \"complete_only\": ").append(f.completeOnly())
                .append(", \"markers\": {\"start\": ").append(Json.string(request.markers().start()))
                .append(", \"end\": ").append(Json.string(request.markers().end()))
                .append(", \"miss\": ").append(Json.string(request.markers().miss())).append('}')
                .append(", \"frame\": ").append(Json.string(request.frame().label()))
                .append("},\n");
        b.append("  \"resources\": [");
        for (int i = 0; i < tables.size(); i++) {
            b.append(i == 0 ? "\n" : ",\n").append(resource(tables.get(i), request.format()));
        }
        return b.append("\n  ]\n}\n").toString();
    }

    private static String resource(Table t, Format format) {
        StringBuilder b = new StringBuilder("    {\n");
        b.append("      \"name\": ").append(Json.string(t.label())).append(",\n");
        b.append("      \"path\": ").append(Json.string(t.fileName(format))).append(",\n");
        b.append("      \"profile\": \"tabular-data-resource\",\n");
        b.append("      \"description\": ").append(Json.string(t.description())).append(",\n");
        b.append("      \"format\": ").append(Json.string(format.extension())).append(",\n");
        b.append("      \"mediatype\": ").append(Json.string(format.mediaType())).append(",\n");
        if (format == Format.CSV) {
            b.append("      \"encoding\": \"utf-8\",\n");
            b.append("      \"dialect\": {\"delimiter\": \",\", \"lineTerminator\": \"\\r\\n\", \"quoteChar\": \"\\\"\","
                    + " \"doubleQuote\": true, \"header\": true},\n");
        }
        b.append("      \"schema\": {\n");
        b.append("        \"fields\": ").append(fields(t, "        ")).append(",\n");
        b.append("        \"primaryKey\": ").append(names(t.primaryKey())).append(",\n");
        b.append("        \"missingValues\": [\"\"]\n");
        b.append("      }\n    }");
        return b.toString();
    }

    /** The Table Schema fields; also stored in each Parquet file's key-value metadata. */
    static String columnsJson(Table t) {
        return fields(t, null);
    }

    private static String fields(Table t, String indent) {
        StringJoiner fields = new StringJoiner(indent == null ? ", " : ",\n" + indent + "  ",
                indent == null ? "[" : "[\n" + indent + "  ", indent == null ? "]" : "\n" + indent + "]");
        for (Column c : t.columns()) {
            StringBuilder f = new StringBuilder("{\"name\": ").append(Json.string(c.name()))
                    .append(", \"type\": ").append(Json.string(c.type().frictionless()));
            if (c.type() == ColumnType.TIMESTAMP) {
                f.append(", \"format\": \"%Y-%m-%dT%H:%M:%S.%fZ\"");
            }
            f.append(", \"description\": ").append(Json.string(c.description()));
            if (c.unit() != null) {
                f.append(", \"unit\": ").append(Json.string(c.unit()));
            }
            if (c.frame() != null) {
                f.append(", \"frame\": ").append(Json.string(c.frame()));
            }
            if (c.required()) {
                f.append(", \"constraints\": {\"required\": true}");
            }
            fields.add(f.append('}'));
        }
        return fields.toString();
    }

    private static String names(List<String> names) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        names.forEach(n -> j.add(Json.string(n)));
        return j.toString();
    }

    /** Frictionless names are lower-case letters, digits and - . _ */
    private static String packageName(String study) {
        return ("useractions-" + study).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    }
}
