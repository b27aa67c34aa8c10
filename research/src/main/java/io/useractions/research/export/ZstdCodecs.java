package io.useractions.research.export;

import java.io.IOException;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import com.github.luben.zstd.Zstd;

/**
 * ZSTD page compression straight through zstd-jni. parquet-hadoop's own codec factory instantiates Hadoop's
 * Configuration, which drags in half of Hadoop; this keeps hadoop-common's jar alone on the class path.
 */
final class ZstdCodecs implements CompressionCodecFactory {

    static final CompressionCodecName CODEC = CompressionCodecName.ZSTD;
    private static final int LEVEL = 3;

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        if (codec != CODEC) {
            throw new IllegalArgumentException("only " + CODEC + " is supported, not " + codec);
        }
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(Zstd.compress(bytes.toByteArray(), LEVEL));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CODEC;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("write only");
    }

    @Override
    public void release() {
    }
}
