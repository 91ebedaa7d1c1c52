package dev.retry.spring.autoconfigure;

import java.util.Objects;

/**
 * A hedging policy as it applies: {@code retry.hedges.<name>} resolved, unset keys inherited from
 * {@code retry.hedges.default} and then from the built-in defaults, and checked.
 *
 * @param name the hedge's name, as written under {@code retry.hedges}
 * @param delay how long to wait for an attempt before starting the next one
 * @param maxHedges extra attempts beyond the first: zero or more
 */
public record EffectiveHedge(String name, HedgeDelay delay, int maxHedges) {

    public EffectiveHedge {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(delay, "delay");
    }
}
