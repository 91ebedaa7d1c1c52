package dev.retry.core;

/**
 * What a policy calls for each of its attempts: the next policy inward, or the user's call itself.
 *
 * <p>The pipeline builds its chain of stages once; the user's function and argument travel down
 * through it as parameters, so that a call passes through any number of policies without
 * allocating anything. The order of the chain is the contract's: fallback, retry, bulkhead, circuit
 * breaker, timeout, hedge, the call.
 */
interface Stage {

    /** The end of every chain: applies the user's function. */
    Stage CALL = new Stage() {
        @Override
        public <A, T, X extends Throwable> T invoke(
                CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
            return function.apply(argument);
        }
    };

    <A, T, X extends Throwable> T invoke(CheckedFunction<? super A, ? extends T, ? extends X> function, A argument)
            throws X;

    /**
     * {@link #invoke}, told that the attempt started at {@code startNanos} as read from {@code clock}:
     * a layer below that times its calls on the same clock takes this reading instead of making its
     * own, so that the clock is read once at the start of an attempt however many layers need the
     * time. A layer that does not time calls, or may wait before it calls on (a bulkhead), ignores it.
     */
    default <A, T, X extends Throwable> T invokeStartedAt(
            CheckedFunction<? super A, ? extends T, ? extends X> function, A argument, Ticker clock, long startNanos)
            throws X {
        return invoke(function, argument);
    }
}
