package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a user who configures a policy in code is told when an option is wrong. */
class RetryPolicyBuilderTest {

    @Test
    void unsetOptionsTakeTheContractsBuiltInValues() {
        RetryConfig config = RetryPolicy.ofDefaults().config();
        assertThat(config.name()).isEqualTo("default");
        assertThat(config.maxAttempts()).isEqualTo(3);
        assertThat(config.backoff()).isEqualTo(Backoff.EXPONENTIAL);
        assertThat(config.delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.multiplier()).isEqualTo(2.0);
        assertThat(config.maxDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.jitter()).isEqualTo(Jitter.FULL);
        assertThat(config.maxDuration()).isZero();
        assertThat(config.retryOn()).isEmpty();
        assertThat(config.abortOn()).isEmpty();
        assertThat(config.budgetRatio()).isZero();
        assertThat(RetryPolicy.ofDefaults().budget()).isEmpty();
        assertThat(config.adaptive()).isFalse();
        assertThat(config.adaptiveMinAttempts())
                .as("the contract's built-in adaptive.min-attempts")
                .isEqualTo(1);
        assertThat(RetryPolicy.ofDefaults().currentMaxAttempts()).isEqualTo(3);
    }

    @Test
    void maxAttemptsBelowOneIsRefusedByName() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be a whole number of at least 1, but was 0");
    }

    @Test
    void negativeDurationsAreRefusedByName() {
        assertThatThrownBy(() -> RetryPolicy.builder().delay(Duration.ofMillis(-5)))
                .hasMessage("delay must be a duration of zero or more, but was -5ms");
        assertThatThrownBy(() -> RetryPolicy.builder().maxDelay(Duration.ofSeconds(-1)))
                .hasMessage("maxDelay must be a duration of zero or more, but was -1s");
        assertThatThrownBy(() -> RetryPolicy.builder().maxDuration(Duration.ofSeconds(-30)))
                .hasMessage("maxDuration must be a duration of zero or more, but was -30s");
    }

    @Test
    void aMultiplierBelowOneOrNotFiniteIsRefused() {
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
                .hasMessage("multiplier must be a finite number of at least 1.0, but was 0.5");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(Double.NaN)).hasMessageContaining("but was NaN");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(Double.POSITIVE_INFINITY))
                .hasMessageContaining("but was Infinity");
    }

    @Test
    void aMaxDelayBelowTheDelayIsRefusedAtBuild() {
        RetryPolicyBuilder builder =
                RetryPolicy.builder().delay(Duration.ofSeconds(2)).maxDelay(Duration.ofMillis(500));
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDelay must be a duration of at least delay (2s), but was 500ms");
    }

    @Test
    void aLongDelayWithoutMaxDelayRaisesTheDefaultCapToTheDelay() {
        RetryConfig config =
                RetryPolicy.builder().delay(Duration.ofSeconds(30)).build().config();
        assertThat(config.maxDelay()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void budgetArgumentsAreChecked() {
        assertThatThrownBy(() -> RetryPolicy.builder().budget(-0.1, 10))
                .hasMessage("budget.ratio must be a number from 0.0 to 100.0, but was -0.1");
        assertThatThrownBy(() -> RetryPolicy.builder().budget(0.1, -1))
                .hasMessage("budget.minRetriesPerSecond must be a whole number of at least 0, but was -1");
        assertThat(RetryPolicy.builder().budget(0.0, 10).build().budget())
                .as("a ratio of 0 means no budget")
                .isEmpty();
        assertThat(RetryPolicy.builder().budget(0.2, 5).build().budget()).hasValueSatisfying(budget -> {
            assertThat(budget.ratio()).isEqualTo(0.2);
            assertThat(budget.minRetriesPerSecond()).isEqualTo(5);
        });
    }

    @Test
    void settingAnOptionTwiceIsRefusedSoALaterLineCannotSilentlyUndoAnEarlierOne() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(5).maxAttempts(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxAttempts was already set (to 5); set each option once");
        assertThatThrownBy(
                        () -> RetryPolicy.builder().retryOn(IOException.class).retryOn(RuntimeException.class))
                .hasMessageStartingWith("retryOn was already set");
        assertThatThrownBy(() -> RetryPolicy.builder().budget(0.1, 1).budget(0.2, 1))
                .hasMessageStartingWith("budget was already set");
    }

    @Test
    void nullsAreRefusedByName() {
        assertThatThrownBy(() -> RetryPolicy.builder().delay(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("delay must not be null");
        assertThatThrownBy(() -> RetryPolicy.builder().retryOn(IOException.class, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("retryOn must not contain null, but element 1 was null");
        assertThatThrownBy(() -> RetryPolicy.builder().name(" ")).hasMessage("name must not be blank");
    }

    @Test
    void theConfigIsImmutable() {
        RetryConfig config =
                RetryPolicy.builder().retryOn(IOException.class).build().config();
        assertThatThrownBy(() -> config.retryOn().add(RuntimeException.class))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void oneBuilderBuildsPoliciesThatShareNoBudget() {
        RetryPolicyBuilder builder = RetryPolicy.builder().budget(0.1, 1);
        assertThat(builder.build().budget().orElseThrow())
                .isNotSameAs(builder.build().budget().orElseThrow());
    }

    @Test
    void adaptiveMinAttemptsBelowOneIsRefusedAtOnce() {
        assertThatThrownBy(() -> RetryPolicy.builder().adaptive(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adaptive.minAttempts must be a whole number of at least 1, but was 0");
        assertThatThrownBy(() -> RetryPolicy.builder().adaptive(-3)).hasMessageEndingWith("but was -3");
    }

    @Test
    void adaptiveMinAttemptsAboveMaxAttemptsIsRefusedAtBuildNamingBoth() {
        RetryPolicyBuilder builder = RetryPolicy.builder().adaptive(4).maxAttempts(3);
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adaptive.minAttempts must be a whole number from 1 to maxAttempts (3), but was 4");
        assertThatThrownBy(() -> RetryPolicy.builder().adaptive(5).build())
                .as("against the default maxAttempts when it is not set")
                .hasMessage("adaptive.minAttempts must be a whole number from 1 to maxAttempts (3), but was 5");
    }

    @Test
    void adaptiveMinAttemptsMayBeAnythingFromOneToMaxAttemptsWhicheverIsSetFirst() {
        RetryConfig config =
                RetryPolicy.builder().adaptive(5).maxAttempts(5).build().config();
        assertThat(config.adaptive()).isTrue();
        assertThat(config.adaptiveMinAttempts()).isEqualTo(5);
        assertThat(RetryPolicy.builder()
                        .maxAttempts(5)
                        .adaptive(1)
                        .build()
                        .config()
                        .adaptiveMinAttempts())
                .isEqualTo(1);
        assertThat(RetryPolicy.builder().maxAttempts(1).adaptive(1).build().currentMaxAttempts())
                .isEqualTo(1);
        assertThat(config.toString()).contains("adaptiveMinAttempts=5");
    }

    @Test
    void adaptiveIsSetOnce() {
        assertThatThrownBy(() -> RetryPolicy.builder().adaptive(1).adaptive(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("adaptive was already set (to 1); set each option once");
    }

    @Test
    void anAdaptivePolicyStartsAtItsMaxAttempts() {
        assertThat(RetryPolicy.builder().maxAttempts(4).adaptive(2).build().currentMaxAttempts())
                .isEqualTo(4);
    }
}
