package dev.retry.spring.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one change of {@code retry.*} while the application runs: applied to every live
 * instance, or refused whole, with nothing changed.
 *
 * @param time when the change was judged
 * @param outcome whether it was applied
 * @param message what was applied, or why it was refused, in the same words as a start-up failure
 */
public record ConfigChange(Instant time, Outcome outcome, String message) {

    /** Whether a change was applied or refused. */
    public enum Outcome {
        /** Every live instance runs with the new configuration. */
        APPLIED,
        /** Nothing changed: the configuration the application ran with before stays. */
        REFUSED
    }

    public ConfigChange {
        Objects.requireNonNull(time, "time must not be null");
        Objects.requireNonNull(outcome, "outcome must not be null");
        Objects.requireNonNull(message, "message must not be null");
    }
}
