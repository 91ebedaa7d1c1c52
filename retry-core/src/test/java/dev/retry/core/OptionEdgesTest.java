package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The edges of the ranges the builders accept are inside them: a configuration that writes the
 * limit itself (a 100 % threshold, a budget ratio of 100, equal bounds) is taken, not refused. And a
 * failure's cause chain is searched to its documented depth of 64, which also ends a chain that loops.
 */
class OptionEdgesTest {

    private final VirtualClock time = new VirtualClock();

    @Test
    void aThresholdOfAHundredPercentIsAccepted() {
        CircuitBreakerConfig config = CircuitBreakerPolicy.builder()
                .name("inventory")
                .failureRateThreshold(100)
                .slowCallRateThreshold(100)
                .buildConfig();
        assertThat(config.failureRateThreshold()).isEqualTo(100f);
        assertThat(config.slowCallRateThreshold()).isEqualTo(100f);
    }

    @Test
    void aBudgetRatioOfExactlyTheLargestAllowedIsAccepted() {
        assertThat(RetryPolicy.builder()
                        .budget(Options.MAX_BUDGET_RATIO, 0)
                        .buildConfig()
                        .budgetRatio())
                .isEqualTo(100.0);
        assertThat(HedgePolicy.builder()
                        .delay(Duration.ofMillis(50))
                        .budget(Options.MAX_BUDGET_RATIO)
                        .buildConfig()
                        .budgetRatio())
                .isEqualTo(100.0);
        assertThatThrownBy(() -> RetryPolicy.builder().budget(100.5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budget.ratio");
    }

    @Test
    void anAdaptiveHedgeDelayMayBePinnedByEqualBoundsAndAFixedDelayMaySitOnEitherBound() {
        HedgeConfig pinned = HedgePolicy.builder()
                .delayPercentile(90, Duration.ofMillis(20), Duration.ofMillis(20))
                .buildConfig();
        assertThat(pinned.minDelay()).isEqualTo(pinned.maxDelay());

        HedgeConfig onTheFloor = HedgePolicy.builder()
                .delayPercentile(90, Duration.ofMillis(20), Duration.ofMillis(500))
                .delay(Duration.ofMillis(20))
                .buildConfig();
        assertThat(onTheFloor.delay()).isEqualTo(Duration.ofMillis(20));
        HedgeConfig onTheCeiling = HedgePolicy.builder()
                .delayPercentile(90, Duration.ofMillis(20), Duration.ofMillis(500))
                .delay(Duration.ofMillis(500))
                .buildConfig();
        assertThat(onTheCeiling.delay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aBreakerCountsWhatRecordIfAcceptsBesideItsRecordOnTypes() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(time)
                .countWindow(2)
                .minimumCalls(2)
                .failureRateThreshold(100)
                .recordOn(IOException.class)
                .recordIf(failure -> failure.getMessage().startsWith("503"))
                .build();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new IllegalStateException("503 Service Unavailable");
                    }))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    /** {@code depth} exceptions, each the cause of the one before, ending with {@code deepest}. */
    private static Exception chain(int depth, Exception deepest) {
        Exception current = deepest;
        for (int i = 1; i < depth; i++) {
            current = new IllegalStateException("wrapper " + i, current);
        }
        return current;
    }

    @Test
    void aRetryableFailureIsFoundAsTheSixtyFourthOfItsChainAndNotDeeper() {
        Class<?>[] retryOn = {IOException.class};
        assertThat(FailureClassifier.matchesInCauseChain(chain(64, new IOException("down")), retryOn))
                .isTrue();
        assertThat(FailureClassifier.matchesInCauseChain(chain(65, new IOException("down")), retryOn))
                .isFalse();
    }

    /** A failure that asks for a delay before the next attempt, as a 429 with Retry-After does. */
    private static final class TooManyRequests extends Exception implements RetryDelayHint {

        private static final long serialVersionUID = 1L;

        TooManyRequests() {
            super("429");
        }

        @Override
        public Duration requestedRetryDelay() {
            return Duration.ofSeconds(2);
        }
    }

    @Test
    void aRequestedDelayIsFoundAsTheSixtyFourthOfTheChainAndNotDeeper() {
        assertThat(FailureClassifier.requestedDelay(chain(64, new TooManyRequests())))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(FailureClassifier.requestedDelay(chain(65, new TooManyRequests())))
                .isNull();
    }

    @Test
    void causesThatLoopEndTheSearchInsteadOfHangingTheCall() {
        IllegalStateException outer = new IllegalStateException("outer");
        IllegalStateException inner = new IllegalStateException("inner", outer);
        outer.initCause(inner); // outer -> inner -> outer -> ...
        assertThat(FailureClassifier.requestedDelay(outer)).isNull();
        assertThat(FailureClassifier.matchesInCauseChain(outer, new Class<?>[] {IOException.class}))
                .isFalse();
    }
}
