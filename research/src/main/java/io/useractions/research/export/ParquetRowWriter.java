package io.useractions.research.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * A table as Parquet through parquet-java: strings as UTF8 byte arrays, integers INT64, numbers DOUBLE,
 * times TIMESTAMP(MILLIS, UTC), ZSTD pages. Parquet has no per-column description, so the table's
 * descriptor goes into the file's key-value metadata ({@link #metadata}). Row groups of 32 MB bound the
 * memory whatever the table's size.
 */
final class ParquetRowWriter implements RowWriter {

    static final long ROW_GROUP_BYTES = 32L << 20;

    private final Table table;
    private final Row row;
    private final ParquetWriter<Row> writer;

    ParquetRowWriter(OutputStream out, Table table) throws IOException {
        this.table = table;
        this.row = new Row(table.columns());
        MessageType schema = schema(table);
        WriteSupport<Row> support = new RowSupport(schema, metadata(table));
        this.writer = new Builder(new StreamOutputFile(out), support)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new ZstdCodecs())
                .withCompressionCodec(ZstdCodecs.CODEC)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withDictionaryEncoding(true)
                .build();
    }

    static MessageType schema(Table table) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (Column c : table.columns()) {
            Type.Repetition repetition = c.required() ? Type.Repetition.REQUIRED : Type.Repetition.OPTIONAL;
            message.addField(switch (c.type()) {
                case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                        .as(LogicalTypeAnnotation.stringType()).named(c.name());
                case INTEGER -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(c.name());
                case NUMBER -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(c.name());
                case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(c.name());
                case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
                        .named(c.name());
            });
        }
        return message.named(table.label());
    }

    static Map<String, String> metadata(Table table) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("useractions.table", table.label());
        m.put("useractions.description", table.description());
        m.put("useractions.columns", DataPackage.columnsJson(table));
        return m;
    }

    @Override
    public void nullValue() {
        row.isNull[row.at++] = true;
    }

    @Override
    public void string(String value) {
        if (value == null) {
            nullValue();
            return;
        }
        row.binary[row.at++] = Binary.fromString(value);
    }

    @Override
    public void utf8(byte[] value) {
        row.binary[row.at++] = Binary.fromConstantByteArray(value);
    }

    @Override
    public void integer(long value) {
        row.longs[row.at++] = value;
    }

    @Override
    public void number(double value) {
        if (Double.isNaN(value)) {
            nullValue();
            return;
        }
        row.doubles[row.at++] = value;
    }

    @Override
    public void bool(boolean value) {
        row.longs[row.at++] = value ? 1 : 0;
    }

    @Override
    public void timestampMicros(long epochMicros) {
        row.longs[row.at++] = Math.floorDiv(epochMicros, 1000L);
    }

    @Override
    public void endRow() throws IOException {
        if (row.at != row.columns.size()) {
            throw new IllegalStateException(table.label() + ": row of " + row.at + " values for "
                    + row.columns.size() + " columns");
        }
        writer.write(row);
        row.clear();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    /** The current row, reused: one slot per column in the array of its type. */
    private static final class Row {
        final List<Column> columns;
        final long[] longs;
        final double[] doubles;
        final Binary[] binary;
        final boolean[] isNull;
        int at;

        Row(List<Column> columns) {
            this.columns = columns;
            int n = columns.size();
            longs = new long[n];
            doubles = new double[n];
            binary = new Binary[n];
            isNull = new boolean[n];
        }

        void clear() {
            java.util.Arrays.fill(isNull, false);
            java.util.Arrays.fill(binary, null);
            at = 0;
        }
    }

    private static final class RowSupport extends WriteSupport<Row> {
        private final MessageType schema;
        private final Map<String, String> metadata;
        private RecordConsumer out;

        RowSupport(MessageType schema, Map<String, String> metadata) {
            this.schema = schema;
            this.metadata = metadata;
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, metadata);
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(schema, metadata);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Row row) {
            out.startMessage();
            List<Column> columns = row.columns;
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                if (row.isNull[i]) {
                    if (c.required()) {
                        throw new IllegalStateException("column " + c.name() + " is required but null");
                    }
                    continue;
                }
                out.startField(c.name(), i);
                switch (c.type()) {
                    case STRING -> out.addBinary(row.binary[i]);
                    case INTEGER, TIMESTAMP -> out.addLong(row.longs[i]);
                    case NUMBER -> out.addDouble(row.doubles[i]);
                    case BOOLEAN -> out.addBoolean(row.longs[i] != 0);
                }
                out.endField(c.name(), i);
            }
            out.endMessage();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final WriteSupport<Row> support;

        Builder(OutputFile file, WriteSupport<Row> support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return support;
        }
    }
}
