package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The policies composed: the order the contract promises and what it means for a caller. */
class PipelineTest {

    private final VirtualTime time = new VirtualTime();
    private final List<Throwable> fallbackSaw = new ArrayList<>();

    private RetryPolicy retry(int attempts) {
        return RetryPolicy.builder().ticker(time).sleeper(time).scheduler(time).jitter(Jitter.NONE)
                .maxAttempts(attempts).build();
    }

    private CircuitBreakerPolicy breaker() {
        return CircuitBreakerPolicy.builder().name("inventory").ticker(time).countWindow(10).minimumCalls(3)
                .failureRateThreshold(50).halfOpenCalls(1).build();
    }

    private FallbackPolicy fallback() {
        return FallbackPolicy.builder().on(Exception.class, (failure, argument) -> {
            fallbackSaw.add(failure);
            return "fallback";
        }).build();
    }

    @Test
    void everyRetryAttemptPassesTheBreakerAndARefusalStopsTheRetriesAndReachesTheFallback() throws IOException {
        CircuitBreakerPolicy breaker = breaker();
        Pipeline pipeline = Pipeline.builder().fallback(fallback()).retry(retry(6)).circuitBreaker(breaker).build();
        int[] calls = {0};

        String result = pipeline.call(() -> {
            calls[0]++;
            throw new IOException("down");
        });

        assertThat(result).isEqualTo("fallback");
        assertThat(calls[0]).as("the breaker opened after three failed attempts").isEqualTo(3);
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(3);
        assertThat(breaker.snapshot().notPermittedCalls()).as("the fourth attempt was refused, once").isEqualTo(1);
        assertThat(fallbackSaw).singleElement().isInstanceOf(CircuitOpenException.class);
        assertThat(time.sleeps()).as("no wait after the refusal").hasSize(3);
    }

    @Test
    void theFallbackSeesTheLastFailureAfterTheRetriesWithTheEarlierOnesAttached() throws IOException {
        Pipeline pipeline = Pipeline.builder().circuitBreaker(CircuitBreakerPolicy.builder().ticker(time).build())
                .retry(retry(3)).fallback(fallback()).build();
        int[] calls = {0};
        String result = pipeline.call(() -> {
            throw new IOException("attempt " + ++calls[0]);
        });
        assertThat(result).isEqualTo("fallback");
        assertThat(fallbackSaw).singleElement().satisfies(failure -> {
            assertThat(failure).hasMessage("attempt 3");
            assertThat(failure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("attempt 1", "attempt 2");
        });
    }

    @Test
    void withoutAFallbackTheCallerGetsTheRefusalItself() {
        CircuitBreakerPolicy breaker = breaker();
        breaker.transitionTo(CircuitState.FORCED_OPEN);
        Pipeline pipeline = Pipeline.builder().retry(retry(3)).circuitBreaker(breaker).build();
        assertThatThrownBy(() -> pipeline.call(() -> "never")).isInstanceOf(CircuitOpenException.class);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aSuccessPassesStraightThroughEveryPolicy() throws Exception {
        CircuitBreakerPolicy breaker = breaker();
        Pipeline pipeline = Pipeline.builder().fallback(fallback()).retry(retry(3)).circuitBreaker(breaker).build();
        assertThat(pipeline.call(() -> "fresh")).isEqualTo("fresh");
        String upper = pipeline.call(String::toUpperCase, "sku");
        assertThat(upper).isEqualTo("SKU");
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(2);
        assertThat(fallbackSaw).isEmpty();
    }

    @Test
    void asynchronousCallsComposeInTheSameOrder() {
        CircuitBreakerPolicy breaker = breaker();
        Pipeline pipeline = Pipeline.builder().fallback(fallback()).retry(retry(6)).circuitBreaker(breaker).build();
        int[] calls = {0};
        CompletableFuture<String> result = pipeline.callAsync(() -> {
            calls[0]++;
            return CompletableFuture.failedFuture(new IOException("down"));
        });
        time.advance(Duration.ofMinutes(1));
        assertThat(result).isCompletedWithValue("fallback");
        assertThat(calls[0]).isEqualTo(3);
        assertThat(fallbackSaw).singleElement().isInstanceOf(CircuitOpenException.class);
    }

    /**
     * Hedges sit inside the breaker and the retry: an attempt and its hedges are one call to the
     * breaker, and all of them, across retries, carry one idempotency key.
     */
    @Test
    void theBreakerJudgesAnAttemptTogetherWithItsHedgesAndEveryoneSharesOneKey() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder().ticker(time).build();
        HedgePolicy hedge = HedgePolicy.builder().ticker(time).scheduler(time).delay(Duration.ofMillis(100))
                .maxHedges(1).build();
        Pipeline pipeline = Pipeline.builder().hedge(hedge).retry(retry(3)).circuitBreaker(breaker).build();
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        CompletableFuture<String> result = pipeline.callAsync(() -> {
            seen.add(RetryContext.current().attempt() + ":" + RetryContext.current().idempotencyKey());
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        });

        time.advance(Duration.ofMillis(100));
        assertThat(attempts).as("the primary was slow, so a hedge started").hasSize(2);
        attempts.get(1).completeExceptionally(new IOException("hedge failed"));
        attempts.get(0).completeExceptionally(new IOException("primary failed"));
        assertThat(breaker.snapshot().failedCalls()).as("one attempt, one failure").isEqualTo(1);

        time.advance(Duration.ofMillis(100)); // the retry's delay
        assertThat(attempts).hasSize(3);
        attempts.get(2).complete("ok");

        assertThat(result).isCompletedWithValue("ok");
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(2);
        String key = seen.get(0).substring(2);
        assertThat(seen).containsExactly("1:" + key, "1:" + key, "2:" + key);
    }

    @Test
    void anEmptyPipelineJustMakesTheCall() {
        assertThat(Pipeline.builder().build().call(() -> 7)).isEqualTo(7);
    }

    @Test
    void aPipelineHoldsOneOfEachPolicy() {
        assertThatThrownBy(() -> Pipeline.builder().retry(retry(2)).retry(retry(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("retry was already set; a pipeline holds one of each policy");
    }
}
