package dev.retry.test.spring;

import dev.retry.core.CircuitBreakerListener;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitState;
import dev.retry.core.RetryBudget;
import dev.retry.core.RetryEvent;
import dev.retry.core.RetryListener;
import dev.retry.core.RetryPolicy;
import dev.retry.spring.events.RecentEvents;
import dev.retry.spring.registry.PolicyListeners;
import dev.retry.spring.registry.RetryRegistry;
import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a {@link VirtualTime} test reads and moves: the clock, the attempts each call made, every
 * breaker's transitions, and the breakers themselves. A bean of the test's context; inject it.
 *
 * <p>It hears the policies as any {@link PolicyListeners} bean does, so what it records is what the
 * meters count. Records are kept per name, in order, until {@link #reset()}, which the extension of
 * {@code @VirtualTime} calls after each test.
 */
public final class RetryTestKit implements PolicyListeners {

    /** A breaker moved from one state to another. */
    public record Transition(CircuitState from, CircuitState to) {
        @Override
        public String toString() {
            return from + " -> " + to;
        }
    }

    private final VirtualClock clock;
    private final Supplier<RetryRegistry> registry;
    /** Gives {@code null} when the application keeps no recent events. */
    private final Supplier<RecentEvents> recentEvents;

    private final Map<String, List<Integer>> attemptsPerCall = new ConcurrentHashMap<>();
    private final Map<String, List<Transition>> transitions = new ConcurrentHashMap<>();

    RetryTestKit(VirtualClock clock, Supplier<RetryRegistry> registry, Supplier<RecentEvents> recentEvents) {
        this.clock = clock;
        this.registry = registry;
        this.recentEvents = recentEvents;
    }

    /** The one clock of every policy in the context. */
    public VirtualClock clock() {
        return clock;
    }

    /** Moves the clock on, running whatever falls due: an open breaker's duration, a scheduled retry. */
    public void advance(Duration duration) {
        clock.advance(duration);
    }

    /** Every sleep between synchronous attempts so far, in order: the backoff delays that were "waited". */
    public List<Duration> sleeps() {
        return clock.sleeps();
    }

    /**
     * The attempts made by each finished call of the retry policy {@code policy}, the first included,
     * in the order the calls ended: {@code [3, 1]} is a call that succeeded or failed on its third
     * attempt, then one that succeeded at once.
     */
    public List<Integer> attemptsPerCall(String policy) {
        List<Integer> calls = attemptsPerCall.get(policy);
        if (calls == null) {
            return List.of();
        }
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Every state change of the breaker {@code breaker}, in order. */
    public List<Transition> transitions(String breaker) {
        List<Transition> moves = transitions.get(breaker);
        if (moves == null) {
            return List.of();
        }
        synchronized (moves) {
            return List.copyOf(moves);
        }
    }

    /**
     * The breaker named {@code name}, to read or move ({@code transitionTo}, {@code reset}).
     *
     * @throws IllegalArgumentException naming the breakers there are, when none has that name
     */
    public CircuitBreakerPolicy breaker(String name) {
        CircuitBreakerPolicy breaker = registry.get().circuitBreakers().get(name);
        if (breaker == null) {
            throw new IllegalArgumentException("no circuit breaker is named '" + name + "'; there are "
                    + registry.get().circuitBreakers().keySet());
        }
        return breaker;
    }

    /** Opens the breaker {@code name} until it is moved again, as an operator's {@code FORCED_OPEN} does. */
    public void forceOpen(String name) {
        breaker(name).transitionTo(CircuitState.FORCED_OPEN);
    }

    /** Closes the breaker {@code name} with fresh counts. */
    public void resetBreaker(String name) {
        breaker(name).reset();
    }

    /**
     * Forgets what this test did: every breaker is closed with fresh counts, the clock moves past
     * every sliding window so that budgets start empty, every adaptive policy (annotation variants
     * too) goes back to its full attempt limit and configured delays, and the records (attempts,
     * transitions, sleeps, delays) and the recent events that {@code /actuator/retryevents} shows
     * are cleared.
     */
    public void reset() {
        clock.advance(Duration.ofSeconds(RetryBudget.WINDOW_SECONDS + 1L));
        registry.get().circuitBreakers().values().forEach(CircuitBreakerPolicy::reset);
        registry.get().retryPolicies().values().forEach(RetryPolicy::resetAdaptation);
        registry.get().retryPolicyVariants().values().forEach(RetryPolicy::resetAdaptation);
        clock.clearRecord();
        attemptsPerCall.clear();
        transitions.clear();
        RecentEvents events = recentEvents.get();
        if (events != null) {
            events.clear();
        }
    }

    @Override
    public RetryListener retryListener(String name) {
        return new RetryListener() {
            @Override
            public void onSuccess(RetryEvent event) {
                record(name, event.attempts());
            }

            @Override
            public void onFailure(RetryEvent event) {
                record(name, event.attempts());
            }
        };
    }

    @Override
    public CircuitBreakerListener circuitBreakerListener(String name) {
        return new CircuitBreakerListener() {
            @Override
            public void onStateTransition(String breaker, CircuitState from, CircuitState to) {
                List<Transition> moves = transitions.computeIfAbsent(breaker, b -> new ArrayList<>());
                synchronized (moves) {
                    moves.add(new Transition(from, to));
                }
            }
        };
    }

    private void record(String policy, int attempts) {
        List<Integer> calls = attemptsPerCall.computeIfAbsent(policy, p -> new ArrayList<>());
        synchronized (calls) {
            calls.add(attempts);
        }
    }
}
