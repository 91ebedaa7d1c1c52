package dev.retry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Builds a {@link FallbackPolicy}. Each failure type may have one handler; each option is set once. */
public final class FallbackPolicyBuilder {

    private @Nullable String name;
    private final List<FallbackPolicy.TypedHandler> handlers = new ArrayList<>();
    private int lastKnownGoodEntries;
    private @Nullable Duration lastKnownGoodAge;
    private @Nullable Function<Object, Object> keyOf;
    private @Nullable Ticker ticker;
    private final List<FallbackListener> listeners = new ArrayList<>();

    FallbackPolicyBuilder() {}

    /** The name that events and metrics use; {@code "default"} unless set. */
    public FallbackPolicyBuilder name(String name) {
        Options.requireUnset(this.name, "name");
        this.name = Options.requireName(name);
        return this;
    }

    /**
     * Answers failures of {@code type} (and its subclasses, unless a handler for a more specific type
     * is registered too) with {@code handler}.
     */
    public <X extends Throwable> FallbackPolicyBuilder on(Class<X> type, FallbackHandler<? super X> handler) {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        for (FallbackPolicy.TypedHandler existing : handlers) {
            if (existing.type == type) {
                throw new IllegalStateException("a handler for " + type.getName() + " was already registered");
            }
        }
        handlers.add(new FallbackPolicy.TypedHandler(type, handler));
        return this;
    }

    /**
     * Remembers the last good result of each call key and serves it when a later call with the same
     * key fails: at most {@code maxEntries} keys, and no result older than {@code maxAge}.
     */
    public FallbackPolicyBuilder lastKnownGood(int maxEntries, Duration maxAge) {
        if (lastKnownGoodAge != null) {
            throw new IllegalStateException("lastKnownGood was already set; set each option once");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("lastKnownGood maxEntries must be at least 1, but was " + maxEntries);
        }
        this.lastKnownGoodAge = Options.requirePositive(maxAge, "lastKnownGood maxAge");
        this.lastKnownGoodEntries = maxEntries;
        return this;
    }

    /** How a call's argument becomes its last-known-good key. Default: the argument itself. */
    public FallbackPolicyBuilder keyOf(Function<Object, Object> keyOf) {
        if (this.keyOf != null) {
            throw new IllegalStateException("keyOf was already set; set each option once");
        }
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf must not be null");
        return this;
    }

    public FallbackPolicyBuilder listener(FallbackListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /** The clock that ages last good results. Default {@link Ticker#system()}. */
    public FallbackPolicyBuilder ticker(Ticker ticker) {
        if (this.ticker != null) {
            throw new IllegalStateException("ticker was already set; set each option once");
        }
        this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
        return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalStateException when neither a handler nor last-known-good is configured: such a
     *     policy could never answer anything
     */
    public FallbackPolicy build() {
        if (handlers.isEmpty() && lastKnownGoodEntries == 0) {
            throw new IllegalStateException(
                    "a fallback policy needs a handler (on) or lastKnownGood to answer anything");
        }
        return new FallbackPolicy(
                name != null ? name : "default",
                handlers,
                lastKnownGoodEntries,
                lastKnownGoodAge,
                keyOf != null ? keyOf : Function.identity(),
                ticker != null ? ticker : Ticker.system(),
                listeners);
    }
}
