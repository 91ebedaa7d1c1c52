package dev.retry.spring.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/** What a {@code retry.call} observation knows of its call: the method and its policies, and how it ended. */
public class RetryCallContext extends Observation.Context {

    private final ObservedMethod method;
    private volatile int attempts;
    private volatile @Nullable String outcome;

    public RetryCallContext(ObservedMethod method) {
        this.method = method;
    }

    /** The annotated method and the names of its policies. */
    public ObservedMethod getMethod() {
        return method;
    }

    /** Retry attempts started so far, the first included; hedges are not counted. */
    public int getAttempts() {
        return attempts;
    }

    void setAttempts(int attempts) {
        this.attempts = attempts;
    }

    /** The call's outcome as the {@code outcome} key names it; {@code null} while it runs. */
    public @Nullable String getOutcome() {
        return outcome;
    }

    void setOutcome(String outcome) {
        this.outcome = outcome;
    }
}
