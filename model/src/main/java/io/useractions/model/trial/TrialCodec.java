package io.useractions.model.trial;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;

/**
 * Binary form of the actions and samples a running trial holds, for {@link TrialSegmenter#save}, and of
 * actions a stream holds back until the ones before them arrive.
 */
public final class TrialCodec {

    private TrialCodec() {
    }

    public static void write(DataOutput out, SessionAction action) throws IOException {
        out.writeLong(action.seq());
        out.writeUTF(action.type());
        writeInstant(out, action.clientTime());
        writeInstant(out, action.serverTime());
        writeDouble(out, action.tMono());
        writeString(out, action.markerTrial());
        writeString(out, action.clockFlag());
        writeNullable(out, action.pointer(), TrialCodec::write);
    }

    public static SessionAction readAction(DataInput in) throws IOException {
        return new SessionAction(in.readLong(), in.readUTF(), readInstant(in), readInstant(in), readDouble(in),
                readString(in), readString(in), in.readBoolean() ? readSample(in) : null);
    }

    static void write(DataOutput out, PointerSample sample) throws IOException {
        out.writeLong(sample.seq());
        writeDouble(out, sample.tMono());
        writeInstant(out, sample.clientTime());
        out.writeDouble(sample.x());
        out.writeDouble(sample.y());
        writeDouble(out, sample.pageX());
        writeDouble(out, sample.pageY());
        writeDouble(out, sample.screenX());
        writeDouble(out, sample.screenY());
    }

    static PointerSample readSample(DataInput in) throws IOException {
        return new PointerSample(in.readLong(), readDouble(in), readInstant(in), in.readDouble(), in.readDouble(),
                readDouble(in), readDouble(in), readDouble(in), readDouble(in));
    }

    static void writeInstant(DataOutput out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    static Instant readInstant(DataInput in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void writeDouble(DataOutput out, Double d) throws IOException {
        writeNullable(out, d, DataOutput::writeDouble);
    }

    private static Double readDouble(DataInput in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    /** A string or null. */
    public static void writeString(DataOutput out, String s) throws IOException {
        writeNullable(out, s, DataOutput::writeUTF);
    }

    public static String readString(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    @FunctionalInterface
    private interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    /** A flag whether {@code value} is there, then the value if it is; read back as {@code flag ? value : null}. */
    private static <T> void writeNullable(DataOutput out, T value, Writer<T> write) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            write.write(out, value);
        }
    }
}
