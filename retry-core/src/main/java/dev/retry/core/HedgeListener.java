package dev.retry.core;

/**
 * Hears what happens to the calls of a hedging policy, to count, log or trace them.
 *
 * <p>Each call ends with exactly one of {@link #onPrimaryWon}, {@link #onHedgeWon}, {@link
 * #onAllFailed} or {@link #onCancelled}; before that come one {@link #onHedgeStarted} per hedge and,
 * when the budget refuses one, a single {@link #onBudgetExhausted}. A synchronous call returns only
 * after its last event has been told. Methods run on whichever thread made the event happen (the
 * timer's, an attempt's, the caller's) and should be quick. An exception thrown by a listener is
 * logged and otherwise ignored: it never changes the outcome of the call.
 *
 * <p>A policy without listeners builds no events at all, and a call whose primary wins builds none
 * unless a listener overrides {@link #onPrimaryWon}.
 */
public interface HedgeListener {

    /** A hedge was started; {@code event.attempts()} counts it, so it is hedge number {@code attempts - 1}. */
    default void onHedgeStarted(HedgeEvent event) {}

    /** The primary attempt succeeded first; its result is the call's. */
    default void onPrimaryWon(HedgeEvent event) {}

    /** Hedge number {@code event.winner() - 1} succeeded first; its result is the call's. */
    default void onHedgeWon(HedgeEvent event) {}

    /** Every attempt started failed; {@code event.failure()} is what the call throws. */
    default void onAllFailed(HedgeEvent event) {}

    /** The budget refused a hedge; the call goes on without further hedges. */
    default void onBudgetExhausted(HedgeEvent event) {}

    /**
     * The caller gave up before any attempt won: a synchronous caller was interrupted, or the future
     * of an asynchronous call was cancelled or completed by someone else. Every attempt was cancelled.
     */
    default void onCancelled(HedgeEvent event) {}
}
