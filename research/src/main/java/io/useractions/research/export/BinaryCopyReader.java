package io.useractions.research.export;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Reads PostgreSQL's binary COPY format into a {@link RowWriter}: the fastest way to get typed rows out of
 * PostgreSQL (no text parsing), which is what lets the Parquet export keep up with COPY itself.
 */
final class BinaryCopyReader {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** PostgreSQL counts time from 2000-01-01T00:00Z. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private final DataInputStream in;
    private final List<Column> columns;

    BinaryCopyReader(InputStream in, List<Column> columns) {
        this.in = new DataInputStream(in);
        this.columns = columns;
    }

    /** Copies every row into the writer; returns the number of rows. */
    long copyTo(RowWriter out, Progress progress) throws IOException {
        readHeader();
        long rows = 0;
        while (true) {
            short fields = in.readShort();
            if (fields == -1) {
                return rows;
            }
            if (fields != columns.size()) {
                throw new IOException("binary COPY row of " + fields + " fields, expected " + columns.size());
            }
            for (Column c : columns) {
                int length = in.readInt();
                if (length < 0) {
                    out.nullValue();
                    continue;
                }
                switch (c.type()) {
                    case STRING -> {
                        byte[] b = new byte[length];
                        in.readFully(b);
                        out.utf8(b);
                    }
                    case INTEGER -> out.integer(in.readLong());
                    case NUMBER -> out.number(in.readDouble());
                    case BOOLEAN -> out.bool(in.readByte() != 0);
                    case TIMESTAMP -> out.timestampMicros(in.readLong() + POSTGRES_EPOCH_MICROS);
                }
            }
            out.endRow();
            rows++;
            progress.row();
        }
    }

    private void readHeader() throws IOException {
        byte[] signature = new byte[SIGNATURE.length];
        in.readFully(signature);
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw new IOException("not PostgreSQL binary COPY data");
        }
        in.readInt();
        int extension = in.readInt();
        in.skipNBytes(extension);
    }
}
