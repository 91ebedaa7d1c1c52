package dev.retry.core;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Any set of policies around one call, always nested in the same order, outermost first:
 *
 * <pre>
 * fallback → retry → bulkhead → circuit breaker → timeout → hedge → the call
 * </pre>
 *
 * <p>The order is what makes them work together:
 *
 * <ul>
 *   <li>Every retry attempt passes the bulkhead and the breaker, so a breaker that opens halfway
 *       through a call's retries stops them; its refusal, a {@link CircuitOpenException}, is never
 *       retried.
 *   <li>The bulkhead sits inside the retry, so an attempt holds a permit only while it runs and gives
 *       it back before the retry waits out its backoff: a sleeping call never keeps a running one out.
 *       It sits outside the breaker, so the breaker never sees its refusals ({@link
 *       BulkheadFullException}, never retried either), which say this process is busy, not that the
 *       callee is unwell.
 *   <li>The timeout sits inside the breaker, so the breaker counts a timed-out attempt as the failure
 *       it is, and outside the hedge, so it bounds an attempt together with its hedges and cancels
 *       them all at the deadline. Each retry attempt gets a deadline of its own.
 *   <li>The breaker judges an attempt together with its hedges, as one call, so hedging against a
 *       slow tail does not count as extra load on the breaker's books.
 *   <li>The fallback sits outside everything, so it answers whatever ends the call: the last failure
 *       after the retries, or any refusal.
 * </ul>
 *
 * <p>The chain is a fold over the policies present in this order, built once: each policy is one
 * link that calls the next. A call's function and argument are handed down through it as
 * parameters, so a call whose first attempt succeeds allocates nothing and takes no lock on its way
 * through a retry, a bulkhead and a breaker. A timeout costs its timer: see {@link TimeoutPolicy}.
 *
 * <p>The clock is read once per attempt for every layer that needs it: a retry that reads it at
 * the start of a call (for its {@code maxDuration} or its listeners) hands the reading down with the
 * first attempt ({@link Stage#invokeStartedAt}), and a breaker directly inside it, timing its calls on
 * the same clock (as it does when its listeners take each duration: the starter's meters), starts
 * its timing from that reading instead of reading the clock again. A bulkhead between them breaks the
 * hand-down on purpose: the time spent waiting for a permit is not the callee's.
 */
public final class Pipeline extends Policy {

    private final @Nullable FallbackPolicy fallback;
    private final @Nullable RetryPolicy retry;
    private final @Nullable BulkheadPolicy bulkhead;
    private final @Nullable CircuitBreakerPolicy circuitBreaker;
    private final @Nullable TimeoutPolicy timeout;
    private final @Nullable HedgePolicy hedge;
    /** The outermost policy's link, which leads through all the others to the call; null without policies. */
    private final @Nullable Link outermost;
    /**
     * Whether a call through this pipeline must make its own {@link RetryContext}: a retry or a hedge
     * sets one for each attempt, but a call guarded only by a breaker, a timeout, a bulkhead or a
     * fallback is an attempt too, and the contract promises the context inside every annotated call.
     */
    private final boolean opensContext;

    private Pipeline(PipelineBuilder builder) {
        this.fallback = builder.fallback;
        this.retry = builder.retry;
        this.bulkhead = builder.bulkhead;
        this.circuitBreaker = builder.circuitBreaker;
        this.timeout = builder.timeout;
        this.hedge = builder.hedge;
        this.outermost = fold(fallback, retry, bulkhead, circuitBreaker, timeout, hedge);
        this.opensContext = retry == null && hedge == null;
    }

    /**
     * Nests the policies given, outermost first (the order of the class comment), from the inside
     * out: each link holds its policy and the link it calls, the innermost the call itself.
     */
    private static @Nullable Link fold(@Nullable Policy... outermostFirst) {
        Link link = null;
        for (int i = outermostFirst.length - 1; i >= 0; i--) {
            Policy policy = outermostFirst[i];
            if (policy != null) {
                link = link == null ? new Link(policy, Stage.CALL, AsyncStage.CALL) : new Link(policy, link, link);
            }
        }
        return link;
    }

    public static PipelineBuilder builder() {
        return new PipelineBuilder();
    }

    /**
     * Makes the asynchronous call through every policy of the pipeline; {@code argument} is what the
     * fallback's handlers receive and its last-known-good results are kept under.
     */
    public <T extends @Nullable Object> CompletableFuture<T> callAsync(
            Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument) {
        return executeAsync(AsyncStage.CALL, supplier, argument);
    }

    /** A pipeline is never nested in another: its own chain ends with the call, so {@code next} is unused. */
    @Override
    <A, T, X extends Throwable> T execute(
            Stage next, CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
        if (!opensContext && outermost != null) { // a retry or a hedge is there, so a link is too
            return outermost.invoke(function, argument);
        }
        RetryContext context = RetryContext.forCurrentThread();
        boolean began = context.beginSingleAttempt();
        try {
            return outermost == null ? function.apply(argument) : outermost.invoke(function, argument);
        } finally {
            if (began) {
                context.endSingleAttempt();
            }
        }
    }

    @Override
    <T> CompletableFuture<T> executeAsync(
            AsyncStage next, Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument) {
        if (!opensContext && outermost != null) { // a retry or a hedge is there, so a link is too
            return outermost.startAsync(supplier, argument);
        }
        RetryContext context = RetryContext.forCurrentThread();
        boolean began = context.beginSingleAttempt();
        try {
            if (outermost == null) {
                return startCall(supplier);
            }
            return outermost.startAsync(supplier, argument);
        } finally {
            if (began) {
                context.endSingleAttempt();
            }
        }
    }

    private static <T> CompletableFuture<T> startCall(Supplier<? extends CompletionStage<T>> supplier) {
        try {
            return supplier.get().toCompletableFuture();
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /**
     * One policy of the fold and the rest of the chain below it, for both kinds of call. Built once
     * per pipeline; a call passes its function and argument down as parameters and allocates nothing.
     */
    private static final class Link implements Stage, AsyncStage {

        private final Policy policy;
        private final Stage next;
        private final AsyncStage nextAsync;

        Link(Policy policy, Stage next, AsyncStage nextAsync) {
            this.policy = policy;
            this.next = next;
            this.nextAsync = nextAsync;
        }

        @Override
        public <A, T, X extends Throwable> T invoke(
                CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
            return policy.execute(next, function, argument);
        }

        @Override
        public <A, T, X extends Throwable> T invokeStartedAt(
                CheckedFunction<? super A, ? extends T, ? extends X> function,
                A argument,
                Ticker clock,
                long startNanos)
                throws X {
            return policy.executeStartedAt(next, function, argument, clock, startNanos);
        }

        /**
         * Below the outermost link no policy is handed an asynchronous call's argument: only a
         * fallback reads it, and a fallback is always outermost.
         */
        @Override
        public <T> CompletionStage<T> invoke(Supplier<? extends CompletionStage<T>> call) {
            return policy.executeAsync(nextAsync, call, null);
        }

        /** Starts the call through this link and all below it; whatever goes wrong fails the future, never the caller. */
        <T> CompletableFuture<T> startAsync(
                Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument) {
            try {
                return policy.executeAsync(nextAsync, supplier, argument);
            } catch (Throwable failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }
    }

    /** Collects the policies of a {@link Pipeline}; each may be given once, in any order. */
    public static final class PipelineBuilder {

        private @Nullable FallbackPolicy fallback;
        private @Nullable RetryPolicy retry;
        private @Nullable BulkheadPolicy bulkhead;
        private @Nullable CircuitBreakerPolicy circuitBreaker;
        private @Nullable TimeoutPolicy timeout;
        private @Nullable HedgePolicy hedge;

        private PipelineBuilder() {}

        public PipelineBuilder fallback(FallbackPolicy fallback) {
            this.fallback = once(this.fallback, fallback, "fallback");
            return this;
        }

        public PipelineBuilder retry(RetryPolicy retry) {
            this.retry = once(this.retry, retry, "retry");
            return this;
        }

        public PipelineBuilder bulkhead(BulkheadPolicy bulkhead) {
            this.bulkhead = once(this.bulkhead, bulkhead, "bulkhead");
            return this;
        }

        public PipelineBuilder circuitBreaker(CircuitBreakerPolicy circuitBreaker) {
            this.circuitBreaker = once(this.circuitBreaker, circuitBreaker, "circuitBreaker");
            return this;
        }

        public PipelineBuilder timeout(TimeoutPolicy timeout) {
            this.timeout = once(this.timeout, timeout, "timeout");
            return this;
        }

        public PipelineBuilder hedge(HedgePolicy hedge) {
            this.hedge = once(this.hedge, hedge, "hedge");
            return this;
        }

        /** Builds the pipeline; one without any policy simply makes the call. */
        public Pipeline build() {
            return new Pipeline(this);
        }

        private static <P> P once(@Nullable P current, P given, String option) {
            Objects.requireNonNull(given, option + " must not be null");
            if (current != null) {
                throw new IllegalStateException(option + " was already set; a pipeline holds one of each policy");
            }
            return given;
        }
    }
}
