package dev.retry.core;

import java.time.Duration;

/** The settings of a {@link TimeoutPolicy}: immutable, validated, copied from its builder. */
public final class TimeoutConfig {

    /** The contract's built-in limit. */
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(1);

    private static final TimeoutConfig DEFAULTS = new TimeoutConfig("default", DEFAULT_DURATION, true);

    private final String name;
    private final Duration duration;
    private final boolean interrupt;

    /** The limit in nanoseconds, which is what the call path reads. */
    final long durationNanos;

    TimeoutConfig(String name, Duration duration, boolean interrupt) {
        this.name = name;
        this.duration = duration;
        this.interrupt = interrupt;
        this.durationNanos = Durations.toNanosSaturated(duration);
    }

    /**
     * The contract's built-in configuration, the one place its defaults are written: what {@link
     * TimeoutPolicy#builder()} starts from and what every option left unset keeps.
     */
    public static TimeoutConfig defaults() {
        return DEFAULTS;
    }

    /** The name that events, metrics and messages use. */
    public String name() {
        return name;
    }

    /** The time each attempt is allowed. */
    public Duration duration() {
        return duration;
    }

    /** Whether a synchronous attempt's thread is interrupted at the deadline. */
    public boolean interrupt() {
        return interrupt;
    }

    @Override
    public String toString() {
        return "TimeoutConfig[name=" + name + ", duration=" + duration + ", interrupt=" + interrupt + "]";
    }
}
