package dev.retry.spring.observation;

import org.jspecify.annotations.Nullable;

/**
 * What the interceptor tells about one observed call as it runs: its retry attempts, each
 * invocation of the method within them (a hedged attempt invokes it more than once), and its end.
 *
 * <p>A retry attempt ("boundary") covers the bulkhead, the breaker, the timeout and the hedges; a
 * refusal or a timeout is its outcome. Where the method is hedged, each invocation is an attempt
 * observation of its own (the first one {@code first} or {@code retry}, the others {@code hedge}),
 * and the boundary reports one only when nothing was invoked at all (a refusal). Elsewhere the
 * boundary is the attempt observation, and an invocation only makes it current on its thread.
 *
 * <p>Handles are opaque: pass back what the matching start returned.
 */
public interface CallObserver {

    /** Closes the call's scope on this thread (the one {@link MethodObserver#callStarted()} ran on). */
    void leaveCallScope();

    /** The call is over: it returned, or threw {@code failure}. Any thread, once. */
    void callEnded(@Nullable Throwable failure);

    /**
     * A retry attempt starts, on the thread that starts it.
     *
     * @param inScope whether to make its observation current on this thread until {@link
     *     #attemptEnded}, which must then run on this thread too (a synchronous, unhedged call)
     */
    Object attemptStarted(boolean inScope);

    /** The retry attempt ended: it returned, or failed with {@code failure}. */
    void attemptEnded(Object attempt, @Nullable Throwable failure);

    /** The method is about to be invoked on this thread for the current attempt; makes that attempt current. */
    Object invocationStarted();

    /** The method returned to this thread (its stage may still be running): the attempt is no longer current. */
    void invocationLeft(Object invocation);

    /** The method's invocation ended, with its result or its stage's: returned, or {@code failure}. */
    void invocationEnded(Object invocation, @Nullable Throwable failure);
}
