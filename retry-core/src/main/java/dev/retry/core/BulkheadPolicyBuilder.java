package dev.retry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link BulkheadPolicy}. Every option has the contract's built-in default, every setter
 * checks its argument and names it when it refuses one, and each option may be set once.
 *
 * <pre>{@code
 * BulkheadPolicy bulkhead = BulkheadPolicy.builder().name("inventory").maxConcurrentCalls(10)
 *         .maxWait(Duration.ofMillis(50)).build();
 * }</pre>
 */
public final class BulkheadPolicyBuilder {

    /** What every option left unset keeps: the built-in defaults, or a configuration to vary. */
    private final BulkheadConfig base;

    private @Nullable String name;
    private @Nullable Integer maxConcurrentCalls;
    private @Nullable Duration maxWait;
    private @Nullable Scheduler scheduler;
    private final List<BulkheadListener> listeners = new ArrayList<>();

    BulkheadPolicyBuilder(BulkheadConfig base) {
        this.base = Objects.requireNonNull(base, "base must not be null");
    }

    /** The name that events, metrics and messages use; {@code "default"} unless set. */
    public BulkheadPolicyBuilder name(String name) {
        Options.requireUnset(this.name, "name");
        this.name = Options.requireName(name);
        return this;
    }

    /** The most calls that may run at once: at least 1. Default 25. */
    public BulkheadPolicyBuilder maxConcurrentCalls(int maxConcurrentCalls) {
        Options.requireUnset(this.maxConcurrentCalls, "maxConcurrentCalls");
        this.maxConcurrentCalls = Options.requireAtLeast(maxConcurrentCalls, 1, "maxConcurrentCalls");
        return this;
    }

    /**
     * How long a call may wait for a permit when none is free: zero or more. Default zero, which
     * refuses such a call at once.
     */
    public BulkheadPolicyBuilder maxWait(Duration maxWait) {
        Options.requireUnset(this.maxWait, "maxWait");
        this.maxWait = Options.requireNotNegative(maxWait, "maxWait");
        return this;
    }

    /**
     * Ends waits that run out, and starts asynchronous calls that waited for their permit, so that
     * no thread is blocked on their behalf. Unused when {@code maxWait} is zero. Default {@link
     * Scheduler#system()}.
     */
    public BulkheadPolicyBuilder scheduler(Scheduler scheduler) {
        Options.requireUnset(this.scheduler, "scheduler");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
        return this;
    }

    /** Hears permitted and refused calls; may be called more than once to add more. */
    public BulkheadPolicyBuilder listener(BulkheadListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /** Builds the bulkhead, all permits free. The builder may be used again; bulkheads built from it share nothing. */
    public BulkheadPolicy build() {
        return new BulkheadPolicy(buildConfig(), scheduler != null ? scheduler : Scheduler.system(), listeners);
    }

    /** The configuration a bulkhead would get, without building one. */
    public BulkheadConfig buildConfig() {
        return new BulkheadConfig(
                name != null ? name : base.name(),
                maxConcurrentCalls != null ? maxConcurrentCalls : base.maxConcurrentCalls(),
                maxWait != null ? maxWait : base.maxWait());
    }
}
