package io.useractions.processor.config;

import net.jpountz.lz4.LZ4Factory;

import org.jboss.logging.Logger;

/**
 * Kafka's clients compress and decompress lz4 with {@code LZ4Factory.fastestInstance()}, which loads lz4-java's
 * native code only when lz4-java sits in the system class loader. In Quarkus's class loader it takes the
 * pure-Java implementation instead (since lz4-java 1.8.1 the only Java one left is the bounds-checked "safe"
 * one): in the benchmark's projection that was a fifth of the processor's CPU samples, compressing the
 * projection topic and decompressing both topics. Once the native library is loaded, {@code fastestInstance()}
 * returns the native implementation to every client.
 */
public final class NativeLz4 {
    private static final Logger LOG = Logger.getLogger(NativeLz4.class);

    private NativeLz4() {
    }

    /**
     * Loads lz4-java's native library, before any Kafka client starts. Where it cannot load (no writable
     * temporary directory for it, a platform lz4-java has no library for), Kafka keeps the Java implementation,
     * which is slower and otherwise the same.
     */
    public static void load() {
        try {
            LZ4Factory.nativeInstance();
            LOG.info("Kafka's lz4 runs in native code");
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.warnf("lz4 stays in Java (slower): its native library did not load: %s", e);
        }
    }
}
