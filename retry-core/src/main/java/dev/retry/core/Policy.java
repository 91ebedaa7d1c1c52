package dev.retry.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What every policy and the {@link Pipeline} offer: one way to make a call through them, written
 * once. A policy implements just two methods, one per kind of call, each handed the rest of the
 * chain ({@code next}) so that a {@link Pipeline} can nest policies as a fold without wrapping the
 * user's call in anything new.
 *
 * <p>Package-private: the public types are the policies; these methods appear on each of them.
 */
abstract class Policy {

    Policy() {}

    /**
     * Makes the call through this policy.
     *
     * @return what the call returned, or what the policy answered in its place
     * @throws X what the call threw, as it is (checked exceptions too, never wrapped), or the
     *     policy's own refusal
     */
    public final <T extends @Nullable Object, X extends Throwable> T call(CheckedSupplier<T, X> supplier) throws X {
        return execute(Stage.CALL, CheckedSupplier::get, supplier);
    }

    /**
     * Runs {@code runnable} through this policy.
     *
     * @throws X what the call threw, as it is, or the policy's own refusal
     */
    public final <X extends Throwable> void run(CheckedRunnable<X> runnable) throws X {
        execute(Stage.CALL, Policy::runReturningNull, runnable);
    }

    /**
     * Applies {@code function} to {@code argument} through this policy. Lets a caller pass a
     * function object it reuses for every call instead of a lambda allocated per call.
     *
     * @throws X what the function threw, as it is, or the policy's own refusal
     */
    public final <A extends @Nullable Object, T extends @Nullable Object, X extends Throwable> T call(
            CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
        return execute(Stage.CALL, function, argument);
    }

    /**
     * Starts the call through this policy; it never blocks the calling thread to wait. The future
     * completes with the call's result, or with its failure unwrapped from any {@link
     * java.util.concurrent.CompletionException}, or with the policy's own refusal. A supplier that
     * throws counts as a call that failed with what it threw.
     */
    public final <T extends @Nullable Object> CompletableFuture<T> callAsync(
            Supplier<? extends CompletionStage<T>> supplier) {
        return executeAsync(AsyncStage.CALL, supplier, null);
    }

    /** Makes one call through this policy, whose attempts go through {@code next}, the rest of a pipeline. */
    abstract <A, T, X extends Throwable> T execute(
            Stage next, CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X;

    /**
     * {@link #execute}, for a call that an outer layer started timing at {@code startNanos} on {@code
     * clock} (see {@link Stage#invokeStartedAt}); a policy that times its calls on that clock uses the
     * reading, every other ignores it.
     */
    <A, T, X extends Throwable> T executeStartedAt(
            Stage next,
            CheckedFunction<? super A, ? extends T, ? extends X> function,
            A argument,
            Ticker clock,
            long startNanos)
            throws X {
        return execute(next, function, argument);
    }

    /**
     * Starts one call through this policy, whose attempts go through {@code next}.
     *
     * @param argument what a fallback's handlers receive and its last-known-good results are kept
     *     under; {@code null} when the call has none. Every other policy passes it on.
     */
    abstract <T> CompletableFuture<T> executeAsync(
            AsyncStage next, Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument);

    private static <X extends Throwable> Void runReturningNull(CheckedRunnable<X> runnable) throws X {
        runnable.run();
        return null;
    }
}
