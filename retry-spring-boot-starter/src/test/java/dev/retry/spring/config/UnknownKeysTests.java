package dev.retry.spring.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.config.InvalidRetryConfigurationException.Problem;
import dev.retry.spring.config.InvalidRetryConfigurationException.UnknownKey;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

/**
 * A key under {@code retry} that retry does not read fails the start-up, naming the key, its value
 * and the key that was probably meant, instead of leaving the setting at its default without a word.
 */
class UnknownKeysTests {

    private static final String POLICY_KEYS = "the keys of retry.policies.<name>: max-attempts, backoff, delay, "
            + "multiplier, max-delay, jitter, max-duration, retry-on, abort-on, retry-on-status, budget, adaptive";

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class));

    @Test
    void aMisspeltKeyIsRefusedWithTheKeyThatWasMeant() {
        runner.withPropertyValues("retry.policies.inventory.max-attemps=5").run(context -> {
            assertThat(context).hasFailed();
            InvalidRetryConfigurationException invalid = invalid(context.getStartupFailure());
            assertThat(invalid.problems()).isEmpty();
            assertThat(invalid.unknownKeys())
                    .containsExactly(new UnknownKey(
                            "retry.policies.inventory.max-attemps",
                            "5",
                            "\"retry.policies.inventory.max-attemps\" from property source \"test\"",
                            "retry.policies.inventory.max-attempts",
                            POLICY_KEYS));
            FailureAnalysis analysis = new RetryConfigurationFailureAnalyzer(null).analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .isEqualTo("Invalid retry configuration: retry.policies.inventory.max-attemps"
                            + " (\"retry.policies.inventory.max-attemps\" from property source \"test\") is not a key retry reads, so its value '5' would be ignored; did you mean"
                            + " retry.policies.inventory.max-attempts? Retry reads " + POLICY_KEYS + " there");
            assertThat(analysis.getAction())
                    .isEqualTo(
                            "Update the retry configuration:\n"
                                    + "  - rename retry.policies.inventory.max-attemps to retry.policies.inventory.max-attempts\n"
                                    + "  - or, to have unknown keys under retry ignored, set retry.fail-on-unknown-keys to false");
        });
    }

    @Test
    void aMavenVersionPropertyDirectlyUnderRetryOnlyWarnsAndTheApplicationStarts() {
        // -Dretry.version=1.2.3 picks a dependency's version, and Surefire hands it to every test.
        runner.withPropertyValues("retry.version=1.2.3")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aNearMissOfASectionNameDirectlyUnderRetryStillFails() {
        runner.withPropertyValues("retry.polcies.inventory.max-attempts=5")
                .run(context -> assertThat(invalid(context.getStartupFailure()).unknownKeys())
                        .extracting(UnknownKey::suggestion)
                        .containsExactly("retry.policies.inventory.max-attempts"));
    }

    @Test
    void misspeltSectionsAndKeysOfGroupsAreFoundToo() {
        runner.withPropertyValues(
                        "retry.polices.inventory.max-attempts=5",
                        "retry.policies.default.budget.ratoi=0.1",
                        "retry.circuit-breakers.inventory.minimum-cals=10")
                .run(context -> {
                    assertThat(invalid(context.getStartupFailure()).unknownKeys())
                            .extracting(UnknownKey::suggestion)
                            .containsExactlyInAnyOrder(
                                    "retry.policies.inventory.max-attempts",
                                    "retry.policies.default.budget.ratio",
                                    "retry.circuit-breakers.inventory.minimum-calls");
                });
    }

    @Test
    void aKeyNothingResemblesIsRefusedWithTheKeysAllowedThere() {
        runner.withPropertyValues("retry.bulkheads.warehouse.colour=red").run(context -> {
            UnknownKey key = invalid(context.getStartupFailure()).unknownKeys().get(0);
            assertThat(key.suggestion()).isEmpty();
            assertThat(key.action())
                    .isEqualTo("remove retry.bulkheads.warehouse.colour, or write one of the keys of"
                            + " retry.bulkheads.<name>: max-concurrent-calls, max-wait");
        });
    }

    @Test
    void aSingleValueWithKeysUnderItIsRefused() {
        runner.withPropertyValues("retry.timeouts.slow.duration.seconds=2").run(context -> {
            UnknownKey key = invalid(context.getStartupFailure()).unknownKeys().get(0);
            assertThat(key.path()).isEqualTo("retry.timeouts.slow.duration.seconds");
            assertThat(key.keys()).isEqualTo("no keys under retry.timeouts.slow.duration, a single value");
        });
    }

    @Test
    void unknownKeysAreReportedTogetherWithBadValues() {
        runner.withPropertyValues("retry.policies.inventory.max-attempts=0", "retry.policies.inventory.jiter=none")
                .run(context -> {
                    InvalidRetryConfigurationException invalid = invalid(context.getStartupFailure());
                    assertThat(invalid.problems())
                            .extracting(Problem::path)
                            .containsExactly("retry.policies.inventory.max-attempts");
                    assertThat(invalid.unknownKeys())
                            .extracting(UnknownKey::suggestion)
                            .containsExactly("retry.policies.inventory.jitter");
                });
    }

    @Test
    void everyKeyRetryReadsIsAcceptedInAnyOfTheFormsSpringBootAccepts() {
        runner.withPropertyValues(
                        "retry.strict-names=false",
                        "retry.health.down-when-open=true",
                        "retry.policies.inventory.maxAttempts=5",
                        "retry.policies.inventory.retry-on[0]=java.io.IOException",
                        "retry.policies.inventory.abort-on=java.io.FileNotFoundException,java.lang.IllegalStateException",
                        "retry.policies.inventory.budget.min-retries-per-second=5",
                        "retry.policies.inventory.adaptive.enabled=true",
                        "retry.policies.inventory.retry_on_status[0]=503",
                        "retry.circuit-breakers.inventory.slow-call-duration=2s",
                        "retry.circuit-breakers.inventory.record-on[0]=java.io.IOException",
                        "retry.hedges.search.max-hedges=2",
                        "retry.timeouts.search.interrupt=false",
                        "retry.bulkheads.warehouse.max-wait=10ms")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void unknownKeysCanBeLetThrough() {
        runner.withPropertyValues("retry.fail-on-unknown-keys=false", "retry.policies.inventory.max-attemps=5")
                .run(context -> assertThat(context).hasNotFailed());
    }

    private static InvalidRetryConfigurationException invalid(Throwable startupFailure) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(startupFailure);
        assertThat(cause).isInstanceOf(InvalidRetryConfigurationException.class);
        return (InvalidRetryConfigurationException) cause;
    }
}
