package dev.retry.spring.autoconfigure;

import java.time.Duration;
import java.util.Objects;

/**
 * A bulkhead as it applies: {@code retry.bulkheads.<name>} resolved, unset keys inherited from
 * {@code retry.bulkheads.default} and then from the built-in defaults, and checked.
 *
 * @param name the bulkhead's name, as written under {@code retry.bulkheads}
 * @param maxConcurrentCalls calls that may run at once: at least 1
 * @param maxWait how long a call may wait for a permit: zero or more; zero refuses at once
 */
public record EffectiveBulkhead(String name, int maxConcurrentCalls, Duration maxWait) {

    public EffectiveBulkhead {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxWait, "maxWait");
    }
}
