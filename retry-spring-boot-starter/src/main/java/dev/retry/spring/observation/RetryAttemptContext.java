package dev.retry.spring.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/** What a {@code retry.attempt} observation knows of its attempt: its call, number, kind, and how it ended. */
public class RetryAttemptContext extends Observation.Context {

    private final RetryCallContext call;
    private final int attempt;
    private final AttemptKind kind;
    private volatile @Nullable AttemptOutcome outcome;

    public RetryAttemptContext(RetryCallContext call, int attempt, AttemptKind kind) {
        this.call = call;
        this.attempt = attempt;
        this.kind = kind;
    }

    /** The context of the call this attempt belongs to. */
    public RetryCallContext getCall() {
        return call;
    }

    /** The attempt's number, 1-based; a hedge has the number of the attempt it hedges. */
    public int getAttempt() {
        return attempt;
    }

    public AttemptKind getKind() {
        return kind;
    }

    /** How the attempt ended; {@code null} while it runs. */
    public @Nullable AttemptOutcome getOutcome() {
        return outcome;
    }

    void setOutcome(AttemptOutcome outcome) {
        this.outcome = outcome;
    }
}
