package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** What a user who configures a hedging policy in code is told when an option is wrong. */
class HedgePolicyBuilderTest {

    @Test
    void unsetOptionsTakeTheContractsBuiltInValues() {
        HedgePolicy policy = HedgePolicy.ofDefaults();
        HedgeConfig config = policy.config();
        assertThat(config.name()).isEqualTo("default");
        assertThat(config.delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.maxHedges()).isEqualTo(1);
        assertThat(config.adaptive()).isFalse();
        assertThat(config.delayPercentile()).isEmpty();
        assertThat(config.minDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.maxDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.budgetRatio()).isZero();
        assertThat(policy.budget()).isEmpty();
        assertThat(policy.currentDelay()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void anAdaptiveDelayKeepsItsPercentileBoundsAndFallback() {
        HedgeConfig config = HedgePolicy.builder()
                .delayPercentile(99.9, Duration.ofMillis(10), Duration.ofSeconds(2))
                .build()
                .config();
        assertThat(config.adaptive()).isTrue();
        assertThat(config.delayPercentile()).hasValue(99.9);
        assertThat(config.minDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.maxDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.delay()).as("the fallback is the default delay").isEqualTo(Duration.ofMillis(100));
        assertThat(config.toString()).contains("delayPercentile=99.9", "fallbackDelay=PT0.1S");
    }

    @Test
    void anAdaptiveDelaysDefaultFallbackIsBroughtWithinItsBounds() {
        assertThat(HedgePolicy.builder()
                        .delayPercentile(95, Duration.ofMillis(200), Duration.ofSeconds(2))
                        .build()
                        .config()
                        .delay())
                .isEqualTo(Duration.ofMillis(200));
        assertThat(HedgePolicy.builder()
                        .delayPercentile(95, Duration.ZERO, Duration.ofMillis(30))
                        .build()
                        .config()
                        .delay())
                .isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void theSamplesAnAdaptiveDelayNeedsGrowWithItsPercentile() {
        assertThat(HedgeConfig.minSamples(50)).isEqualTo(20);
        assertThat(HedgeConfig.minSamples(75)).isEqualTo(20);
        assertThat(HedgeConfig.minSamples(90)).isEqualTo(50);
        assertThat(HedgeConfig.minSamples(95)).isEqualTo(100);
        assertThat(HedgeConfig.minSamples(99)).isEqualTo(500);
        assertThat(HedgeConfig.minSamples(99.9)).isEqualTo(5_000);
    }

    @Test
    void maxHedgesBelowZeroIsRefusedByName() {
        assertThatThrownBy(() -> HedgePolicy.builder().maxHedges(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxHedges must be a whole number from 0 to 10, but was -1");
    }

    @Test
    void aNegativeDelayIsRefusedByName() {
        assertThatThrownBy(() -> HedgePolicy.builder().delay(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must be a duration of zero or more, but was -5ms");
    }

    @Test
    void aPercentileOutsideP50ToP999IsRefusedWithTheRange() {
        Duration min = Duration.ofMillis(1);
        Duration max = Duration.ofSeconds(1);
        assertThatThrownBy(() -> HedgePolicy.builder().delayPercentile(49.9, min, max))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delayPercentile must be a percentile from 50 to 99.9 (p50 .. p99.9), but was 49.9");
        assertThatThrownBy(() -> HedgePolicy.builder().delayPercentile(99.95, min, max))
                .hasMessage("delayPercentile must be a percentile from 50 to 99.9 (p50 .. p99.9), but was 99.95");
        assertThatThrownBy(() -> HedgePolicy.builder().delayPercentile(Double.NaN, min, max))
                .hasMessageEndingWith("but was NaN");
        assertThat(HedgePolicy.builder()
                        .delayPercentile(50, min, max)
                        .build()
                        .config()
                        .delayPercentile())
                .hasValue(50.0);
    }

    @Test
    void thePercentilesBoundsAreCheckedByName() {
        assertThatThrownBy(
                        () -> HedgePolicy.builder().delayPercentile(95, Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delayPercentile.minDelay must be a duration of zero or more, but was -1ms");
        assertThatThrownBy(() -> HedgePolicy.builder().delayPercentile(95, Duration.ofMillis(10), Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "delayPercentile.maxDelay must be a duration of at least delayPercentile.minDelay (10ms), but was 5ms");
        assertThatThrownBy(() -> HedgePolicy.builder().delayPercentile(95, null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("delayPercentile.minDelay must not be null");
    }

    @Test
    void aFallbackDelayOutsideThePercentilesBoundsIsRefusedAtBuild() {
        HedgePolicyBuilder builder = HedgePolicy.builder()
                .delay(Duration.ofMillis(5))
                .delayPercentile(95, Duration.ofMillis(10), Duration.ofSeconds(1));
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must be a duration within the bounds of delayPercentile, 10ms .. 1s, but was 5ms");
    }

    @Test
    void aNegativeOrUnboundedBudgetIsRefused() {
        assertThatThrownBy(() -> HedgePolicy.builder().budget(-0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budget.ratio must be a number from 0.0 to 100.0, but was -0.1");
        assertThatThrownBy(() -> HedgePolicy.builder().budget(Double.NaN)).hasMessageEndingWith("but was NaN");
        assertThatThrownBy(() -> HedgePolicy.builder().budget(Double.POSITIVE_INFINITY))
                .hasMessageEndingWith("but was Infinity");
        assertThat(HedgePolicy.builder().budget(0.0).build().budget())
                .as("0 means no budget")
                .isEmpty();
        assertThat(HedgePolicy.builder().budget(0.05).build().budget())
                .hasValueSatisfying(budget -> assertThat(budget.ratio()).isEqualTo(0.05));
    }

    @Test
    void eachOptionMayBeSetOnlyOnce() {
        assertThatThrownBy(() -> HedgePolicy.builder().maxHedges(1).maxHedges(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxHedges was already set (to 1); set each option once");
        assertThatThrownBy(() -> HedgePolicy.builder()
                        .delayPercentile(99, Duration.ZERO, Duration.ofSeconds(1))
                        .delayPercentile(95, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("delayPercentile was already set (to 99.0); set each option once");
        assertThatThrownBy(
                        () -> HedgePolicy.builder().delay(Duration.ofMillis(50)).delay(Duration.ofMillis(60)))
                .hasMessage("delay was already set (to PT0.05S); set each option once");
        assertThatThrownBy(() -> HedgePolicy.builder().budget(0.1).budget(0.2))
                .hasMessage("budget was already set (to 0.1); set each option once");
        Executor direct = Runnable::run;
        assertThatThrownBy(() -> HedgePolicy.builder().executor(direct).executor(direct))
                .hasMessageStartingWith("executor was already set");
        assertThatThrownBy(() -> HedgePolicy.builder().name("a").name("b"))
                .hasMessage("name was already set (to a); set each option once");
    }

    @Test
    void nullsAndBlankNamesAreRefusedByName() {
        assertThatThrownBy(() -> HedgePolicy.builder().executor(null)).hasMessage("executor must not be null");
        assertThatThrownBy(() -> HedgePolicy.builder().ticker(null)).hasMessage("ticker must not be null");
        assertThatThrownBy(() -> HedgePolicy.builder().scheduler(null)).hasMessage("scheduler must not be null");
        assertThatThrownBy(() -> HedgePolicy.builder().listener(null)).hasMessage("listener must not be null");
        assertThatThrownBy(() -> HedgePolicy.builder().delay(null)).hasMessage("delay must not be null");
        assertThatThrownBy(() -> HedgePolicy.builder().name(" ")).hasMessage("name must not be blank");
    }

    @Test
    void theBuilderCanBeUsedAgainAndItsPoliciesShareNothing() {
        HedgePolicyBuilder builder = HedgePolicy.builder().budget(0.1);
        HedgePolicy one = builder.build();
        HedgePolicy other = builder.build();
        assertThat(one.budget().orElseThrow()).isNotSameAs(other.budget().orElseThrow());
        assertThat(one.toString())
                .isEqualTo("HedgePolicy[HedgeConfig[name=default, delay=PT0.1S, maxHedges=1," + " budgetRatio=0.1]]");
    }
}
