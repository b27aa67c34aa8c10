package io.useractions.processor.projection;

import java.util.Arrays;

/**
 * A growing buffer of rows for COPY, written as bytes directly: building Strings first and letting the
 * driver encode them allocated about 4 KB per action. {@link BinaryRows} writes COPY's binary format (the
 * tables of actions), {@link Utf8Rows} its text format (the rows spanning actions, which come encoded).
 */
public abstract sealed class CopyBuffer permits BinaryRows, Utf8Rows {
    /** Batches in a row whose rows fit in the bound after which a buffer grown past it goes. */
    static final int SHRINK_AFTER = 8;
    byte[] bytes;
    int length;
    /** Batches in a row, while the buffer is past the bound, whose rows fit in it. */
    private int fitted;

    CopyBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    /**
     * Empties the rows. A buffer grown past {@code keep} bytes stays while batches that large keep coming (a
     * backlog's polls) and goes once {@link #SHRINK_AFTER} in a row fit in {@code keep}: neither grown anew for
     * every poll of a backlog nor held for good after one large poll. (Dropped at every clear, the buffers
     * regrown by each poll were some 40% of a replay's allocations, and most of its full collections.)
     */
    void clear(int keep) {
        if (bytes.length > keep) {
            fitted = length > keep ? 0 : fitted + 1;
            if (fitted == SHRINK_AFTER) {
                bytes = new byte[keep];
                fitted = 0;
            }
        }
        length = 0;
    }

    final void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    final void put(char c) {
        bytes[length++] = (byte) c;
    }

    /**
     * {@code value} as UTF-8, within room for three bytes a char; a lone surrogate becomes '?', as
     * String.getBytes would make it. With {@code escape}, the characters COPY text gives a meaning (backslash,
     * tab, newline, carriage return) are escaped with a backslash.
     */
    final void utf8(String value, boolean escape) {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (escape && (c == '\\' || c == '\t' || c == '\n' || c == '\r')) {
                    put('\\');
                    put(c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\');
                } else {
                    put(c);
                }
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | c >> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                bytes[length++] = (byte) (0xF0 | cp >> 18);
                bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                put('?');
            } else {
                bytes[length++] = (byte) (0xE0 | c >> 12);
                bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    /** Appends rows or values encoded elsewhere in this buffer's format. */
    void append(byte[] encoded) {
        room(encoded.length);
        System.arraycopy(encoded, 0, bytes, length, encoded.length);
        length += encoded.length;
    }

    /** A copy of the rows written so far. */
    public byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }
}
