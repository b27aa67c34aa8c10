package io.useractions.ingest;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.future.PromiseInternal;

/**
 * A deadline for an asynchronous call, kept on the caller's event loop: a Netty scheduled task, cancelled
 * there when the call ends. Mutiny's {@code ifNoItem().after()} cost a Vert.x timer with a close hook and
 * a context-propagation wrapper per call, three per batch.
 */
public final class Deadline {
    private Deadline() {
    }

    /**
     * The caller's context (an event loop's), or one of {@code vertx}'s when the caller runs outside Vert.x.
     * Listeners of a promise made on it run there.
     */
    public static ContextInternal context(Vertx vertx) {
        ContextInternal current = (ContextInternal) Vertx.currentContext();
        return current != null ? current : (ContextInternal) vertx.getOrCreateContext();
    }

    /** {@code call}, or {@code failure}'s exception if it has not ended within {@code timeout}. */
    public static <T> Future<T> within(ContextInternal context, Future<T> call, Duration timeout,
            Supplier<? extends Throwable> failure) {
        PromiseInternal<T> result = context.promise();
        ScheduledFuture<?> timer = context.nettyEventLoop()
                .schedule(() -> result.tryFail(failure.get()), timeout.toNanos(), TimeUnit.NANOSECONDS);
        call.onComplete(ended -> {
            timer.cancel(false);
            if (ended.succeeded()) {
                result.tryComplete(ended.result());
            } else {
                result.tryFail(ended.cause());
            }
        });
        return result.future();
    }
}
