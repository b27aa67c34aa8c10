package io.useractions.research.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * (ExportBench's alternative CSV path.) Turns PostgreSQL's CSV (records end in LF) into RFC 4180's CRLF, leaving line breaks inside quoted fields
 * as they are, and counts the records on the way.
 */
final class CrlfRecords extends FilterOutputStream {

    private final Progress progress;
    private final byte[] buffer = new byte[2 * 64 * 1024];
    private boolean quoted;
    private boolean header = true;

    CrlfRecords(OutputStream out, Progress progress) {
        super(out);
        this.progress = progress;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        while (off < end) {
            int n = 0;
            long records = 0;
            int chunkEnd = Math.min(end, off + 64 * 1024);
            for (int i = off; i < chunkEnd; i++) {
                byte c = b[i];
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == '\n' && !quoted) {
                    buffer[n++] = '\r';
                    if (header) {
                        header = false;
                    } else {
                        records++;
                    }
                }
                buffer[n++] = c;
            }
            out.write(buffer, 0, n);
            progress.rows(records);
            off = chunkEnd;
        }
    }
}
