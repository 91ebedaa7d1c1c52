package dev.retry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link TimeoutPolicy}. Every option has the contract's built-in default, every setter
 * checks its argument and names it when it refuses one, and each option may be set once.
 *
 * <pre>{@code
 * TimeoutPolicy timeout = TimeoutPolicy.builder().name("catalog").duration(Duration.ofMillis(800)).build();
 * }</pre>
 */
public final class TimeoutPolicyBuilder {

    /** What every option left unset keeps: the built-in defaults, or a configuration to vary. */
    private final TimeoutConfig base;

    private @Nullable String name;
    private @Nullable Duration duration;
    private @Nullable Boolean interrupt;
    private @Nullable Scheduler scheduler;
    private @Nullable Ticker ticker;
    private final List<TimeoutListener> listeners = new ArrayList<>();

    TimeoutPolicyBuilder(TimeoutConfig base) {
        this.base = Objects.requireNonNull(base, "base must not be null");
    }

    /** The name that events, metrics and messages use; {@code "default"} unless set. */
    public TimeoutPolicyBuilder name(String name) {
        Options.requireUnset(this.name, "name");
        this.name = Options.requireName(name);
        return this;
    }

    /** The time each attempt is allowed: more than zero. Default 1 s. */
    public TimeoutPolicyBuilder duration(Duration duration) {
        Options.requireUnset(this.duration, "duration");
        this.duration = Options.requirePositive(duration, "duration");
        return this;
    }

    /**
     * Whether a synchronous attempt's thread is interrupted at the deadline, so that a blocking call
     * gives up at once. Without it the attempt runs to its end and the call fails then. Default true.
     * Asynchronous attempts are cancelled either way.
     */
    public TimeoutPolicyBuilder interrupt(boolean interrupt) {
        Options.requireUnset(this.interrupt, "interrupt");
        this.interrupt = interrupt;
        return this;
    }

    /** Runs the deadline timers. Default {@link Scheduler#system()}. */
    public TimeoutPolicyBuilder scheduler(Scheduler scheduler) {
        Options.requireUnset(this.scheduler, "scheduler");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
        return this;
    }

    /** The clock that times attempts. Default {@link Ticker#system()}. */
    public TimeoutPolicyBuilder ticker(Ticker ticker) {
        Options.requireUnset(this.ticker, "ticker");
        this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
        return this;
    }

    /** Hears how each attempt ended; may be called more than once to add more. */
    public TimeoutPolicyBuilder listener(TimeoutListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /** Builds the policy. The builder may be used again; policies built from it share nothing. */
    public TimeoutPolicy build() {
        return new TimeoutPolicy(
                buildConfig(),
                scheduler != null ? scheduler : Scheduler.system(),
                ticker != null ? ticker : Ticker.system(),
                listeners);
    }

    /** The configuration a policy would get, without building one. */
    public TimeoutConfig buildConfig() {
        return new TimeoutConfig(
                name != null ? name : base.name(),
                duration != null ? duration : base.duration(),
                interrupt != null ? interrupt : base.interrupt());
    }
}
