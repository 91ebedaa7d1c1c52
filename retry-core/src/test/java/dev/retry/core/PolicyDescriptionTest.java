package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a policy says about itself: its name, the options it was built with, and the one-line
 * description a log or a debugger shows. The starter's endpoints and start-up messages read these,
 * so a policy that forgot its name or described itself as an empty string would show up there.
 */
class PolicyDescriptionTest {

    private final VirtualClock time = new VirtualClock();

    @Test
    void everyPolicyAnswersToTheNameItWasBuiltWith() {
        assertThat(CircuitBreakerPolicy.builder()
                        .name("inventory")
                        .ticker(time)
                        .build()
                        .name())
                .isEqualTo("inventory");
        assertThat(BulkheadPolicy.builder().name("inventory").build().name()).isEqualTo("inventory");
        assertThat(TimeoutPolicy.builder().name("inventory").build().name()).isEqualTo("inventory");
        assertThat(FallbackPolicy.builder()
                        .name("inventory")
                        .on(IOException.class, (failure, argument) -> "none")
                        .build()
                        .name())
                .isEqualTo("inventory");
    }

    @Test
    void aPolicyDescribesItselfWithItsNameAndItsOptions() {
        assertThat(RetryPolicy.builder().name("inventory").maxAttempts(4).build())
                .hasToString("RetryPolicy["
                        + RetryPolicy.builder().name("inventory").maxAttempts(4).buildConfig() + "]")
                .asString()
                .contains("name=inventory", "maxAttempts=4");
        assertThat(BulkheadPolicy.builder()
                        .name("inventory")
                        .maxConcurrentCalls(7)
                        .build())
                .asString()
                .startsWith("BulkheadPolicy[")
                .contains("name=inventory", "maxConcurrentCalls=7");
        assertThat(TimeoutPolicy.builder()
                        .name("inventory")
                        .duration(Duration.ofSeconds(3))
                        .build())
                .asString()
                .startsWith("TimeoutPolicy[")
                .contains("name=inventory", "duration=PT3S");
        assertThat(CircuitBreakerPolicy.builder()
                        .name("inventory")
                        .countWindow(20)
                        .halfOpenCalls(2)
                        .buildConfig())
                .asString()
                .startsWith("CircuitBreakerConfig[")
                .contains("name=inventory", "windowSize=20", "halfOpenCalls=2");
    }

    @Test
    void aLatencyHistogramDescribesItselfByTheLatenciesItHolds() {
        LatencyHistogram latencies = new LatencyHistogram(time);
        latencies.record(Duration.ofMillis(5).toNanos());
        latencies.record(Duration.ofMillis(7).toNanos());
        assertThat(latencies).hasToString("LatencyHistogram[count=2]");
    }

    @Test
    void aRetryConfigurationSaysWhichPredicatesItWasGiven() {
        RetryConfig plain = RetryPolicy.builder().name("inventory").buildConfig();
        assertThat(plain.hasRetryPredicate()).isFalse();
        assertThat(plain.hasAbortPredicate()).isFalse();
        assertThat(plain.hasResultPredicate()).isFalse();

        RetryConfig judging = RetryPolicy.builder()
                .name("inventory")
                .retryIf(failure -> true)
                .abortIf(failure -> false)
                .retryIfResult(result -> result == null)
                .buildConfig();
        assertThat(judging.hasRetryPredicate()).isTrue();
        assertThat(judging.hasAbortPredicate()).isTrue();
        assertThat(judging.hasResultPredicate()).isTrue();
    }

    @Test
    void aFallbackSaysWhetherItRemembersLastKnownGoodResults() {
        FallbackPolicyBuilder plain = FallbackPolicy.builder().name("inventory").on(IOException.class, (f, a) -> "x");
        assertThat(plain.build().remembersLastKnownGood()).isFalse();
        FallbackPolicy remembering = FallbackPolicy.builder()
                .name("inventory")
                .lastKnownGood(100, Duration.ofMinutes(5))
                .build();
        assertThat(remembering.remembersLastKnownGood()).isTrue();
    }

    @Test
    void aBreakerWhoseOpenDurationGrowsReportsItsCap() {
        CircuitBreakerConfig growing = CircuitBreakerPolicy.builder()
                .name("inventory")
                .openDuration(Duration.ofSeconds(10))
                .openDurationGrowth(2.0, Duration.ofMinutes(2))
                .buildConfig();
        assertThat(growing.maxOpenDuration()).isEqualTo(Duration.ofMinutes(2));
        CircuitBreakerConfig fixed = CircuitBreakerPolicy.builder()
                .name("inventory")
                .openDuration(Duration.ofSeconds(10))
                .buildConfig();
        assertThat(fixed.maxOpenDuration())
                .as("without growth the cap is the open duration itself")
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anAdaptiveHedgeTrustsItsPercentileOnlyAfterEnoughLatencies() {
        HedgeConfig p95 = HedgePolicy.builder()
                .name("inventory")
                .delayPercentile(95, Duration.ofMillis(1), Duration.ofSeconds(1))
                .buildConfig();
        assertThat(p95.minSamples()).as("about five above the 95th percentile").isEqualTo(100);
    }

    @Test
    void aBudgetDescribesItselfByItsNumbers() {
        assertThat(RetryBudget.create(0.1, 3, time)).hasToString("RetryBudget[ratio=0.1, minRetriesPerSecond=3]");
        assertThat(new HedgeBudget(0.05, time)).hasToString("HedgeBudget[ratio=0.05]");
    }

    @Test
    void theRetryContextDescribesTheAttemptItBelongsTo() throws Exception {
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(2)
                .delay(Duration.ZERO)
                .ticker(time)
                .sleeper(time)
                .build();
        java.util.List<String> seen = new java.util.ArrayList<>();
        retry.call(() -> {
            seen.add(RetryContext.current().toString());
            if (seen.size() == 1) {
                throw new IOException("once");
            }
            return "ok";
        });
        assertThat(seen).containsExactly("RetryContext[attempt=1]", "RetryContext[attempt=2]");
        assertThat(RetryContext.forCurrentThread()).hasToString("RetryContext[inactive]");
    }
}
