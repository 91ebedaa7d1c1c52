package dev.retry.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A synchronous call made on a thread of its own, so that the test's thread stays free to move
 * virtual time and run the attempts while the caller waits.
 */
final class BlockingCaller<T> {

    /** How the call ended, and whether the caller's thread was left interrupted. */
    record Outcome<T>(T value, Throwable failure, boolean interrupted) {}

    private final CompletableFuture<Outcome<T>> outcome = new CompletableFuture<>();
    final Thread thread;

    BlockingCaller(CheckedSupplier<T, ? extends Throwable> call) {
        thread = ManualExecutor.runOnNewThread(
                () -> {
                    T value = null;
                    Throwable failure = null;
                    try {
                        value = call.get();
                    } catch (Throwable thrown) {
                        failure = thrown;
                    }
                    outcome.complete(
                            new Outcome<>(value, failure, Thread.currentThread().isInterrupted()));
                },
                "caller");
    }

    /** Waits for the call to return; the limit only fails a test that would hang. */
    Outcome<T> outcome() throws Exception {
        return outcome.get(10, TimeUnit.SECONDS);
    }

    boolean returned() {
        return outcome.isDone();
    }
}
