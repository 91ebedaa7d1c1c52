package dev.retry.core;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

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
 * <p>The chain is built once; a call's function and argument are handed down through it as
 * parameters, so a call whose first attempt succeeds allocates nothing and takes no lock on its way
 * through a retry, a bulkhead and a breaker. A timeout costs its timer: see {@link TimeoutPolicy}.
 */
public final class Pipeline {

    private final FallbackPolicy fallback;
    private final RetryPolicy retry;
    private final BulkheadPolicy bulkhead;
    private final CircuitBreakerPolicy circuitBreaker;
    private final TimeoutPolicy timeout;
    private final HedgePolicy hedge;
    private final Stage chain;
    private final AsyncStage asyncChain;
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

        // Built from the inside out: each stage holds the one it calls.
        Stage stage = Stage.CALL;
        AsyncStage asyncStage = AsyncStage.CALL;
        if (hedge != null) {
            stage = hedgeStage(hedge, stage);
            asyncStage = hedgeStage(hedge, asyncStage);
        }
        if (timeout != null) {
            stage = timeoutStage(timeout, stage);
            asyncStage = timeoutStage(timeout, asyncStage);
        }
        if (circuitBreaker != null) {
            stage = breakerStage(circuitBreaker, stage);
            asyncStage = breakerStage(circuitBreaker, asyncStage);
        }
        if (bulkhead != null) {
            stage = bulkheadStage(bulkhead, stage);
            asyncStage = bulkheadStage(bulkhead, asyncStage);
        }
        if (retry != null) {
            stage = retryStage(retry, stage);
            asyncStage = retryStage(retry, asyncStage);
        }
        this.chain = stage;
        this.asyncChain = asyncStage;
        this.opensContext = retry == null && hedge == null;
    }

    public static PipelineBuilder builder() {
        return new PipelineBuilder();
    }

    /** Makes the call through every policy of the pipeline. */
    public <T, X extends Throwable> T call(CheckedSupplier<T, X> supplier) throws X {
        return call(CheckedSupplier::get, supplier);
    }

    /** Applies {@code function} to {@code argument} through every policy of the pipeline. */
    public <A, T, X extends Throwable> T call(CheckedFunction<? super A, ? extends T, ? extends X> function,
            A argument) throws X {
        if (!opensContext) {
            return callChain(function, argument);
        }
        RetryContext context = RetryContext.forCurrentThread();
        boolean began = context.beginSingleAttempt();
        try {
            return callChain(function, argument);
        } finally {
            if (began) {
                context.endSingleAttempt();
            }
        }
    }

    private <A, T, X extends Throwable> T callChain(CheckedFunction<? super A, ? extends T, ? extends X> function,
            A argument) throws X {
        if (fallback != null) {
            return fallback.execute(chain, function, argument);
        }
        return chain.invoke(function, argument);
    }

    /** Makes the asynchronous call through every policy of the pipeline. */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        return callAsync(supplier, null);
    }

    /**
     * Makes the asynchronous call through every policy of the pipeline; {@code argument} is what the
     * fallback's handlers receive and its last-known-good results are kept under.
     */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier, Object argument) {
        if (!opensContext) {
            return callChainAsync(supplier, argument);
        }
        RetryContext context = RetryContext.forCurrentThread();
        boolean began = context.beginSingleAttempt();
        try {
            return callChainAsync(supplier, argument);
        } finally {
            if (began) {
                context.endSingleAttempt();
            }
        }
    }

    private <T> CompletableFuture<T> callChainAsync(Supplier<? extends CompletionStage<T>> supplier, Object argument) {
        if (fallback != null) {
            return fallback.executeAsync(asyncChain, supplier, argument);
        }
        try {
            return asyncChain.invoke(supplier).toCompletableFuture();
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    private static Stage retryStage(RetryPolicy retry, Stage next) {
        return new Stage() {
            @Override
            public <A, T, X extends Throwable> T invoke(CheckedFunction<? super A, ? extends T, ? extends X> function,
                    A argument) throws X {
                return retry.execute(next, function, argument);
            }
        };
    }

    private static AsyncStage retryStage(RetryPolicy retry, AsyncStage next) {
        return new AsyncStage() {
            @Override
            public <T> CompletionStage<T> invoke(Supplier<? extends CompletionStage<T>> call) {
                return retry.executeAsync(next, call);
            }
        };
    }

    private static Stage hedgeStage(HedgePolicy hedge, Stage next) {
        return new Stage() {
            @Override
            public <A, T, X extends Throwable> T invoke(CheckedFunction<? super A, ? extends T, ? extends X> function,
                    A argument) throws X {
                return hedge.execute(next, function, argument);
            }
        };
    }

    private static AsyncStage hedgeStage(HedgePolicy hedge, AsyncStage next) {
        return new AsyncStage() {
            @Override
            public <T> CompletionStage<T> invoke(Supplier<? extends CompletionStage<T>> call) {
                return hedge.executeAsync(next, call);
            }
        };
    }

    private static Stage bulkheadStage(BulkheadPolicy bulkhead, Stage next) {
        return new Stage() {
            @Override
            public <A, T, X extends Throwable> T invoke(CheckedFunction<? super A, ? extends T, ? extends X> function,
                    A argument) throws X {
                return bulkhead.execute(next, function, argument);
            }
        };
    }

    private static AsyncStage bulkheadStage(BulkheadPolicy bulkhead, AsyncStage next) {
        return new AsyncStage() {
            @Override
            public <T> CompletionStage<T> invoke(Supplier<? extends CompletionStage<T>> call) {
                return bulkhead.executeAsync(next, call);
            }
        };
    }

    private static Stage timeoutStage(TimeoutPolicy timeout, Stage next) {
        return new Stage() {
            @Override
            public <A, T, X extends Throwable> T invoke(CheckedFunction<? super A, ? extends T, ? extends X> function,
                    A argument) throws X {
                return timeout.execute(next, function, argument);
            }
        };
    }

    private static AsyncStage timeoutStage(TimeoutPolicy timeout, AsyncStage next) {
        return new AsyncStage() {
            @Override
            public <T> CompletionStage<T> invoke(Supplier<? extends CompletionStage<T>> call) {
                return timeout.executeAsync(next, call);
            }
        };
    }

    private static Stage breakerStage(CircuitBreakerPolicy breaker, Stage next) {
        return new Stage() {
            @Override
            public <A, T, X extends Throwable> T invoke(CheckedFunction<? super A, ? extends T, ? extends X> function,
                    A argument) throws X {
                return breaker.execute(next, function, argument);
            }
        };
    }

    private static AsyncStage breakerStage(CircuitBreakerPolicy breaker, AsyncStage next) {
        return new AsyncStage() {
            @Override
            public <T> CompletionStage<T> invoke(Supplier<? extends CompletionStage<T>> call) {
                return breaker.executeAsync(next, call);
            }
        };
    }

    /** Collects the policies of a {@link Pipeline}; each may be given once, in any order. */
    public static final class PipelineBuilder {

        private FallbackPolicy fallback;
        private RetryPolicy retry;
        private BulkheadPolicy bulkhead;
        private CircuitBreakerPolicy circuitBreaker;
        private TimeoutPolicy timeout;
        private HedgePolicy hedge;

        private PipelineBuilder() {
        }

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

        private static <P> P once(P current, P given, String option) {
            Objects.requireNonNull(given, option + " must not be null");
            if (current != null) {
                throw new IllegalStateException(option + " was already set; a pipeline holds one of each policy");
            }
            return given;
        }
    }
}
