package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option of every policy builder is set at most once: a second setting is refused with a
 * message that names the option, rather than silently replacing the first (two places of a program
 * configuring one policy would otherwise disagree without anyone noticing). Listeners are the
 * exception: a policy may have several.
 */
class BuilderOptionsSetOnceTest {

    private static final VirtualClock TIME = new VirtualClock();

    private static <B> Arguments option(String builder, String option, Supplier<B> create, Consumer<B> set) {
        return Arguments.of(builder + "." + option, option, (Runnable) () -> {
            B fresh = create.get();
            set.accept(fresh);
            set.accept(fresh);
        });
    }

    static Stream<Arguments> options() {
        Supplier<RetryPolicyBuilder> retry = RetryPolicy::builder;
        Supplier<CircuitBreakerPolicyBuilder> breaker = CircuitBreakerPolicy::builder;
        Supplier<HedgePolicyBuilder> hedge = HedgePolicy::builder;
        Supplier<BulkheadPolicyBuilder> bulkhead = BulkheadPolicy::builder;
        Supplier<TimeoutPolicyBuilder> timeout = TimeoutPolicy::builder;
        Supplier<FallbackPolicyBuilder> fallback = FallbackPolicy::builder;
        RetryBudget budget = RetryBudget.create(0.1, 1, TIME);
        return Stream.of(
                option("retry", "name", retry, b -> b.name("orders")),
                option("retry", "maxAttempts", retry, b -> b.maxAttempts(3)),
                option("retry", "backoff", retry, b -> b.backoff(Backoff.FIXED)),
                option("retry", "delay", retry, b -> b.delay(Duration.ofMillis(10))),
                option("retry", "multiplier", retry, b -> b.multiplier(2.0)),
                option("retry", "maxDelay", retry, b -> b.maxDelay(Duration.ofSeconds(1))),
                option("retry", "jitter", retry, b -> b.jitter(Jitter.NONE)),
                option("retry", "maxDuration", retry, b -> b.maxDuration(Duration.ofSeconds(5))),
                option("retry", "retryOn", retry, b -> b.retryOn(IOException.class)),
                option("retry", "abortOn", retry, b -> b.abortOn(IllegalArgumentException.class)),
                option("retry", "retryIf", retry, b -> b.retryIf(failure -> true)),
                option("retry", "abortIf", retry, b -> b.abortIf(failure -> false)),
                option("retry", "retryIfResult", retry, b -> b.retryIfResult(result -> false)),
                option("retry", "budget", retry, b -> b.budget(0.1, 1)),
                option("retry", "budget", retry, b -> b.sharedBudget(budget)), // one option, two forms
                option("retry", "adaptive", retry, b -> b.adaptive(1)),
                option("retry", "requestedDelay", retry, b -> b.requestedDelay(failure -> null)),
                option("retry", "ticker", retry, b -> b.ticker(TIME)),
                option("retry", "sleeper", retry, b -> b.sleeper(TIME)),
                option("retry", "scheduler", retry, b -> b.scheduler(TIME)),
                option("retry", "random", retry, b -> b.random(() -> 0.5)),
                option("circuit breaker", "name", breaker, b -> b.name("inventory")),
                option("circuit breaker", "window", breaker, b -> b.countWindow(10)),
                option("circuit breaker", "window", breaker, b -> b.timeWindow(10)),
                option("circuit breaker", "minimumCalls", breaker, b -> b.minimumCalls(5)),
                option("circuit breaker", "failureRateThreshold", breaker, b -> b.failureRateThreshold(50)),
                option("circuit breaker", "slowCallDuration", breaker, b -> b.slowCallDuration(Duration.ofSeconds(1))),
                option("circuit breaker", "slowCallRateThreshold", breaker, b -> b.slowCallRateThreshold(50)),
                option("circuit breaker", "openDuration", breaker, b -> b.openDuration(Duration.ofSeconds(1))),
                option(
                        "circuit breaker",
                        "openDurationGrowth",
                        breaker,
                        b -> b.openDurationGrowth(2.0, Duration.ofMinutes(1))),
                option("circuit breaker", "halfOpenCalls", breaker, b -> b.halfOpenCalls(2)),
                option("circuit breaker", "recordOn", breaker, b -> b.recordOn(IOException.class)),
                option("circuit breaker", "ignoreOn", breaker, b -> b.ignoreOn(IllegalArgumentException.class)),
                option("circuit breaker", "recordIf", breaker, b -> b.recordIf(failure -> true)),
                option("circuit breaker", "recordResultIf", breaker, b -> b.recordResultIf(result -> false)),
                option("circuit breaker", "ticker", breaker, b -> b.ticker(TIME)),
                option("hedge", "name", hedge, b -> b.name("search")),
                option("hedge", "delay", hedge, b -> b.delay(Duration.ofMillis(50))),
                option(
                        "hedge",
                        "delayPercentile",
                        hedge,
                        b -> b.delayPercentile(90, Duration.ofMillis(1), Duration.ofSeconds(1))),
                option("hedge", "maxHedges", hedge, b -> b.maxHedges(1)),
                option("hedge", "budget", hedge, b -> b.budget(0.1)),
                option("hedge", "executor", hedge, b -> b.executor(Runnable::run)),
                option("hedge", "ticker", hedge, b -> b.ticker(TIME)),
                option("hedge", "scheduler", hedge, b -> b.scheduler(TIME)),
                option("bulkhead", "name", bulkhead, b -> b.name("pool")),
                option("bulkhead", "maxConcurrentCalls", bulkhead, b -> b.maxConcurrentCalls(2)),
                option("bulkhead", "maxWait", bulkhead, b -> b.maxWait(Duration.ofMillis(10))),
                option("bulkhead", "scheduler", bulkhead, b -> b.scheduler(TIME)),
                option("timeout", "name", timeout, b -> b.name("catalog")),
                option("timeout", "duration", timeout, b -> b.duration(Duration.ofSeconds(1))),
                option("timeout", "interrupt", timeout, b -> b.interrupt(false)),
                option("timeout", "scheduler", timeout, b -> b.scheduler(TIME)),
                option("timeout", "ticker", timeout, b -> b.ticker(TIME)),
                option("fallback", "name", fallback, b -> b.name("stock")),
                option("fallback", "lastKnownGood", fallback, b -> b.lastKnownGood(10, Duration.ofMinutes(1))),
                option("fallback", "keyOf", fallback, b -> b.keyOf(argument -> argument)),
                option("fallback", "ticker", fallback, b -> b.ticker(TIME)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void settingAnOptionTwiceIsRefusedAndNamesTheOption(String where, String option, Runnable setTwice) {
        assertThatThrownBy(setTwice::run).isInstanceOf(RuntimeException.class).hasMessageContaining(option);
    }

    /** A handler per failure type: a second one for the same type would make the first dead code. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fallbackHandlers")
    void aSecondFallbackHandlerForTheSameTypeIsRefused(String where, Runnable registerTwice) {
        assertThatThrownBy(registerTwice::run)
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining(IOException.class.getName());
    }

    static Stream<Arguments> fallbackHandlers() {
        return Stream.of(Arguments.of("fallback.on(IOException)", (Runnable) () -> FallbackPolicy.builder()
                .on(IOException.class, (failure, argument) -> "first")
                .on(IOException.class, (failure, argument) -> "second")));
    }
}
