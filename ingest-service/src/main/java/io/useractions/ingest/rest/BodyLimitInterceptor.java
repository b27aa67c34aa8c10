package io.useractions.ingest.rest;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.ValidationException;

/**
 * Stops reading a body at {@code ual.ingest.max-body-bytes} with the JSON 413 of every other size error
 * (through {@link ErrorMapper}). A declared length over the limit never gets here ({@link BodyLimitFilter});
 * this bounds a body sent without one (chunked), which the HTTP server would otherwise read up to its own
 * hard cap and then refuse without a body. A body RESTEasy has already read whole (up to
 * {@code quarkus.rest.input-buffer-size}) is only measured, so that it is copied once, not through a
 * wrapping stream in small pieces.
 */
@Provider
public class BodyLimitInterceptor implements ReaderInterceptor {
    // Providers are created before the runtime configuration exists: the limit is read at the first body.
    private final Instance<IngestConfig> config;
    private int limit;

    public BodyLimitInterceptor(Instance<IngestConfig> config) {
        this.config = config;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (limit == 0) {
            limit = config.get().maxBodyBytes();
        }
        InputStream body = context.getInputStream();
        if (body instanceof ByteArrayInputStream buffered) {
            if (buffered.available() > limit) {
                throw tooLarge(limit);
            }
        } else {
            context.setInputStream(new Bounded(body, limit));
        }
        return context.proceed();
    }

    private static ValidationException tooLarge(long limit) {
        return ValidationException.tooLarge("", "the body is longer than the limit of " + limit + " bytes");
    }

    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            read += n;
            if (read > limit) {
                throw tooLarge(limit);
            }
        }
    }
}
