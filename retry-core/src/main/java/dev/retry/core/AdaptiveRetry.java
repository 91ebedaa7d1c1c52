package dev.retry.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The judgement of an adaptive {@link RetryPolicy} on itself: how many attempts a call may make
 * now, and how much longer or shorter than configured it waits between them.
 *
 * <h2>What it watches</h2>
 *
 * <p>Over the same sliding window of {@value RollingCount#WINDOW_SECONDS} seconds as the retry
 * budget, four counts: first attempts that succeeded and that failed, and retries that succeeded and
 * that failed. "Failed" means what the policy would retry: a retryable failure or a rejected result.
 * A failure the policy never retries (an abort rule, a 404) is not counted at all, because it says
 * nothing about whether retrying pays. Every outcome is one compare-and-set on one bucket of one
 * {@link RollingCount}: no lock, no allocation.
 *
 * <h2>The rule</h2>
 *
 * <p>The limit is a <em>level</em> from 0 to {@value #LEVELS}, mapped linearly and rounded onto
 * {@code minAttempts .. maxAttempts} (level 10 is {@code maxAttempts}, level 0 {@code minAttempts}).
 * Once every {@value #STEP_MILLIS} ms, the first attempt to end after that moment reads the window
 * and takes one step by this table (share = failing first attempts / first attempts; "retries
 * fail" = at least one retry failed and failed retries are at least as many as successful ones):
 *
 * <pre>
 *   share of failing first attempts   retries fail        retries pay off (or none in the window)
 *   below 1/4                         hold                up one level
 *   1/4 up to 1/2                     down two levels     up one level
 *   1/2 or more                       down two levels     hold
 * </pre>
 *
 * <p>It moves down only with at least {@value #MIN_FIRST_ATTEMPTS} first attempts in the window, and
 * up only with at least {@value #MIN_FIRST_ATTEMPTS} successful ones; otherwise it holds: there is
 * not enough to judge by, and one failed call moves nothing. Up counts successes alone so that a
 * failure can never be the call that makes the window big enough to go up. Down is twice as fast as
 * up, because wasted retries cost the service while missing ones only cost the caller.
 *
 * <p>The numbers the contract promises, at a steady call rate:
 *
 * <ul>
 *   <li>A dead service (first attempts and retries all fail): the level falls from the first step
 *       whose window says "down" and reaches 0 on the fifth, 2 s after the first; a new policy
 *       takes its first step at 0.5 s, so after 1 s (level 6) it is still above {@code
 *       minAttempts} for any span. Coming from a healthy period, the window says "down" once a
 *       quarter of its first attempts fail and its failed retries at least match the good ones:
 *       within about a second when retries used to be rare, and within 5 s even for a policy whose
 *       every call used to succeed on its first retry (a call yields at most one successful retry,
 *       a dead call at least one failed one while the limit is 2 or more). So {@code minAttempts}
 *       is reached within 7.5 s of sustained failure.
 *   <li>A recovery: the level climbs once fewer than half the window's first attempts fail (5 s)
 *       and the dead period's failed retries no longer outweigh the good ones (they leave the
 *       window within 10 s; at a limit of 1 there were none to leave), then takes ten steps
 *       in 4.5 s: {@code maxAttempts} again within 15 s.
 * </ul>
 *
 * <p>Steps are counted as they are taken, not as time passes: a policy called less often than every
 * half second adapts more slowly, and failures after an hour of silence take one step at most,
 * never all of them at once.
 *
 * <h2>Why it can never add load to a failing service</h2>
 *
 * <p>The limit never exceeds {@code maxAttempts}, so a call never makes more attempts than without
 * adaptation. It rises only when most first attempts succeed and the retries in the window are not
 * failing; a failure added to the window can only move the decision from up to hold to down, never
 * the other way (the rule is monotone in every failure count), so calls that keep failing can never
 * earn more attempts. At {@code minAttempts = 1} a dead service sees no retries at all, and with no
 * retries to judge by, the share of failing first attempts (all of them) holds the limit where it is.
 * Where the rule does probe (most first attempts succeed, no retries left to judge by), it climbs
 * one level at a time, stops as soon as the retries it lets through fail, and falls again if a
 * quarter or more of first attempts fail too.
 *
 * <h2>Delays</h2>
 *
 * <p>Every computed delay (backoff and jitter) is multiplied by {@code 2^(2 * share - 1)}: 0.5 when
 * no first attempt fails, 1 when half do, 2 when all do; the result is still capped by {@code
 * maxDelay}. It is 1 while the window is too small to judge by, with the same two thresholds as the
 * level: {@value #MIN_FIRST_ATTEMPTS} first attempts to stretch, as many successful ones to shrink.
 * A delay the server asked for ({@code Retry-After}) is used as it is: the server knows when it will
 * be back, and shrinking it would retry sooner than asked. The factor is computed with the level,
 * once per step, so a retry reads one volatile field.
 */
final class AdaptiveRetry {

    /** How often the level may move. */
    static final long STEP_MILLIS = 500;
    /** The levels between {@code minAttempts} (0) and {@code maxAttempts}; a step up moves one. */
    static final int LEVELS = 10;
    /** How many levels one step down moves; one step up moves one. */
    static final int DOWN_LEVELS = 2;
    /** The fewest first attempts in the window for the level or the delay factor to move. */
    static final int MIN_FIRST_ATTEMPTS = 5;

    static final double MIN_DELAY_FACTOR = 0.5;
    static final double MAX_DELAY_FACTOR = 2.0;

    private static final long STEP_NANOS = STEP_MILLIS * 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int minAttempts;
    private final int span;
    private final Ticker ticker;
    private final long origin;
    private final RollingCount firstSuccesses = new RollingCount();
    private final RollingCount firstFailures = new RollingCount();
    private final RollingCount retrySuccesses = new RollingCount();
    private final RollingCount retryFailures = new RollingCount();

    /** When the level may next move; whoever moves the clock-reading past it takes the step. */
    private final AtomicLong nextStep;

    private final AtomicInteger level = new AtomicInteger(LEVELS);
    private volatile double delayFactor = 1.0;

    AdaptiveRetry(int minAttempts, int maxAttempts, Ticker ticker) {
        this.minAttempts = minAttempts;
        this.span = maxAttempts - minAttempts;
        this.ticker = ticker;
        this.origin = ticker.nanoTime();
        this.nextStep = new AtomicLong(origin + STEP_NANOS);
    }

    /** Counts an attempt (1-based) that gave an accepted result. */
    void recordSuccess(int attempt) {
        record(attempt == 1 ? firstSuccesses : retrySuccesses);
    }

    /** Counts an attempt (1-based) that failed in a way the policy would retry. */
    void recordFailure(int attempt) {
        record(attempt == 1 ? firstFailures : retryFailures);
    }

    /** Total attempts a call may make now, the first included. */
    int limit() {
        return limitAt(level.get());
    }

    /** What computed delays are multiplied by now, in {@code [0.5, 2]}. */
    double delayFactor() {
        return delayFactor;
    }

    /** A computed delay stretched or shrunk by the current factor, capped at {@code maxDelayNanos}. */
    long scale(long delayNanos, long maxDelayNanos) {
        double scaled = delayNanos * delayFactor;
        return scaled >= maxDelayNanos ? maxDelayNanos : (long) scaled;
    }

    /**
     * The previous delay as the backoff computed it, before scaling, for decorrelated jitter, which
     * grows each delay from the last: fed the scaled one, the factor would compound retry after retry.
     * Exact while the factor has not changed in between, which is almost always.
     */
    long unscale(long previousDelayNanos) {
        return (long) (previousDelayNanos / delayFactor);
    }

    private void record(RollingCount count) {
        long now = ticker.nanoTime();
        count.increment(secondOf(now));
        long due = nextStep.get();
        // One thread per step reads the window; everyone else has paid one clock read and one CAS.
        if (now - due >= 0
                && nextStep.compareAndSet(due, now - due < STEP_NANOS ? due + STEP_NANOS : now + STEP_NANOS)) {
            step(now);
        }
    }

    private void step(long now) {
        long second = secondOf(now);
        long firstOk = firstSuccesses.sum(second);
        long firstFailed = firstFailures.sum(second);
        int direction = direction(firstOk, firstFailed, retrySuccesses.sum(second), retryFailures.sum(second));
        int current = level.get();
        int next = Math.max(0, Math.min(LEVELS, current + (direction < 0 ? -DOWN_LEVELS : direction)));
        if (next != current) {
            // Lost only to a step of a later interval that overtook this one; skipping ours is fine.
            level.compareAndSet(current, next);
        }
        delayFactor = delayFactor(firstOk, firstFailed);
    }

    /**
     * The rule of the class essay: 1 (up), 0 (hold) or -1 (down) for the window's counts. Adding to
     * either failure count never raises the answer.
     */
    static int direction(long firstSuccesses, long firstFailures, long retrySuccesses, long retryFailures) {
        long first = firstSuccesses + firstFailures;
        boolean retriesFail = retryFailures > 0 && retryFailures >= retrySuccesses;
        if (retriesFail) {
            return first >= MIN_FIRST_ATTEMPTS && 4 * firstFailures >= first ? -1 : 0;
        }
        // Successes, not attempts, must fill the window: otherwise a failure could be what lets it go up.
        return firstSuccesses >= MIN_FIRST_ATTEMPTS && 2 * firstFailures < first ? 1 : 0;
    }

    /**
     * {@code 2^(2 * share - 1)} of the share of failing first attempts. It stretches only with enough
     * first attempts and shrinks only with enough successful ones, otherwise 1, by the same reasoning
     * as {@link #direction}: an added failure never shortens a delay.
     */
    static double delayFactor(long firstSuccesses, long firstFailures) {
        long first = firstSuccesses + firstFailures;
        if (first == 0) {
            return 1.0;
        }
        double share = (double) firstFailures / first;
        double factor = Math.max(MIN_DELAY_FACTOR, Math.min(MAX_DELAY_FACTOR, Math.pow(2.0, 2.0 * share - 1.0)));
        boolean judged = factor >= 1.0 ? first >= MIN_FIRST_ATTEMPTS : firstSuccesses >= MIN_FIRST_ATTEMPTS;
        return judged ? factor : 1.0;
    }

    /** Level 0 is {@code minAttempts}, level {@value #LEVELS} {@code maxAttempts}, rounded between. */
    private int limitAt(int level) {
        return minAttempts + (int) (((long) span * level + LEVELS / 2) / LEVELS);
    }

    private long secondOf(long now) {
        // Never negative, which the ring's index needs: a thread whose clock reading is a hair older
        // than the origin counts into the first second.
        return Math.max(0, Math.floorDiv(now - origin, NANOS_PER_SECOND));
    }
}
