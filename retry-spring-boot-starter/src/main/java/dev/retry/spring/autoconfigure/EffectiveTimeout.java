package dev.retry.spring.autoconfigure;

import java.time.Duration;
import java.util.Objects;

/**
 * A time limit as it applies: {@code retry.timeouts.<name>} resolved, unset keys inherited from
 * {@code retry.timeouts.default} and then from the built-in defaults, and checked.
 *
 * @param name the timeout's name, as written under {@code retry.timeouts}
 * @param duration the limit on each attempt: more than zero
 * @param interrupt whether a synchronous attempt's thread is interrupted at the deadline
 */
public record EffectiveTimeout(String name, Duration duration, boolean interrupt) {

    public EffectiveTimeout {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
    }
}
