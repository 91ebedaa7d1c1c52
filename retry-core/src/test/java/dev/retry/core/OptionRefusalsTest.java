package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.retry.test.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * Configuration that cannot work is refused by the builder that owns the option, with an {@link
 * InvalidOptionException} naming the option, the value and what is allowed, rather than accepted and
 * failing (or silently doing nothing) at the first call.
 */
class OptionRefusalsTest {

    @Test
    void aCountWindowSmallerThanTheDefaultMinimumCallsIsRefusedBecauseTheBreakerCouldNeverOpen() {
        InvalidOptionException refused = catchThrowableOfType(
                InvalidOptionException.class,
                () -> CircuitBreakerPolicy.builder().countWindow(10).build());
        assertThat(refused.option()).isEqualTo("windowSize");
        assertThat(refused.value()).isEqualTo("10");
        assertThat(refused.allowed()).isEqualTo("a whole number of at least minimumCalls");
        assertThat(refused.relatedOption()).isEqualTo("minimumCalls");
        assertThat(refused.relatedValue()).isEqualTo("20");
        assertThat(refused.relatedAllowed()).isEqualTo("a whole number from 1 to windowSize");
        assertThat(refused).hasMessage("windowSize must be a whole number of at least minimumCalls (20), but was 10");
    }

    @Test
    void aCountWindowAsLargeAsMinimumCallsCanOpen() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .countWindow(10)
                .minimumCalls(10)
                .ticker(new VirtualClock())
                .build();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new IllegalStateException("down");
                    }))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aTimeWindowMayHoldFewerSecondsThanMinimumCalls() {
        // Many calls may fall in one second, so nothing ties a time window's size to the minimum.
        assertThat(CircuitBreakerPolicy.builder()
                        .timeWindow(10)
                        .build()
                        .config()
                        .minimumCalls())
                .isEqualTo(20);
    }

    @Test
    void aTimeWindowOfMoreThanAnHourIsRefused() {
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().timeWindow(1_000_000))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("windowSize must be a whole number from 1 to 3600, but was 1000000");
        assertThat(CircuitBreakerPolicy.builder()
                        .timeWindow(3_600)
                        .build()
                        .config()
                        .windowSize())
                .isEqualTo(3_600);
    }

    @Test
    void maxHedgesHasAnUpperBoundInsteadOfFailingAtTheFirstCall() {
        assertThatThrownBy(() -> HedgePolicy.builder().maxHedges(Integer.MAX_VALUE))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("maxHedges must be a whole number from 0 to 10, but was 2147483647");
        assertThat(HedgePolicy.builder().maxHedges(10).build().config().maxHedges())
                .isEqualTo(10);
    }

    @Test
    void aBudgetRatioThatWouldOverflowIntoNoRetriesIsRefused() {
        assertThatThrownBy(() -> RetryPolicy.builder().budget(1e300, 10))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("budget.ratio must be a number from 0.0 to 100.0, but was 1.0E300");
        assertThatThrownBy(() -> HedgePolicy.builder().budget(1e300)).isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> RetryBudget.create(1e300, 10, Ticker.system()))
                .isInstanceOf(InvalidOptionException.class);
    }

    @Test
    void theLargestBudgetRatioStillGrantsRetries() {
        VirtualClock ticker = new VirtualClock();
        RetryBudget budget = RetryBudget.create(100.0, 0, ticker);
        budget.recordCall();
        assertThat(budget.remainingRetries()).isEqualTo(100);
        assertThat(budget.tryAcquireRetry()).isTrue();
    }

    @Test
    void aRefusedMaxAttemptsNamesTheOptionTheValueAndWhatIsAllowed() {
        InvalidOptionException refused = catchThrowableOfType(
                InvalidOptionException.class, () -> RetryPolicy.builder().maxAttempts(0));
        assertThat(refused.option()).isEqualTo("maxAttempts");
        assertThat(refused.value()).isEqualTo("0");
        assertThat(refused.allowed()).isEqualTo("a whole number of at least 1");
        assertThat(refused.relatedOption()).isEmpty();
    }

    @Test
    void aRateThresholdOfZeroIsRefusedBecauseTheBreakerWouldOpenWithoutASingleFailure() {
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().failureRateThreshold(0f))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("failureRateThreshold must be a percentage above 0 and at most 100, but was 0.0");
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().slowCallRateThreshold(0f))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("slowCallRateThreshold must be a percentage above 0 and at most 100, but was 0.0");
    }
}
