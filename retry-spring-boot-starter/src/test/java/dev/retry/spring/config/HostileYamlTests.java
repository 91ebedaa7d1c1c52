package dev.retry.spring.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryEndpointAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@code application.yml} as a hostile user writes it: values at and just past the edges of what
 * each key allows, text where numbers belong, blanks inside lists. Every one fails the start-up
 * with one line that names the full key (an index for a list element), quotes the value as written
 * and says what is allowed; none with a stack trace from inside Spring.
 */
class HostileYamlTests {

    private static final String PERCENTAGE = "a percentage above 0 and at most 100";

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class));

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "retry.policies.orders.multiplier       | Infinity            | a finite number of at least 1.0",
                "retry.policies.orders.max-attempts     | 2.5                 | a whole number of at least 1",
                "retry.policies.orders.budget.ratio     | NaN                 | a number from 0.0 to 100.0",
                "retry.policies.orders.delay            | 1.5s                | a duration of zero or more, such as 100ms, 2s, 1m or PT0.5S",
                "retry.policies.orders.max-duration     | PT-1S               | a duration of zero or more, such as 100ms, 2s, 1m or PT0.5S",
                "retry.circuit-breakers.orders.failure-rate-threshold   | 100.0001  | " + PERCENTAGE,
                "retry.circuit-breakers.orders.failure-rate-threshold   | -0.0001   | " + PERCENTAGE,
                "retry.circuit-breakers.orders.slow-call-rate-threshold | 100.0001  | " + PERCENTAGE,
                "retry.circuit-breakers.orders.window-size | 9999999999999999999 | a whole number from 1 to 1000000",
                "retry.hedges.orders.max-hedges         | 1.5                 | a whole number from 0 to 10",
                "retry.hedges.orders.delay              | p100                | a duration of zero or more, such as 100ms or 2s, or a percentile of observed latency from p50 to p99.9",
                "retry.timeouts.orders.duration         | 0                   | a duration of more than zero, such as 100ms, 2s, 1m or PT0.5S",
                "retry.bulkheads.orders.max-concurrent-calls | 9999999999999999999 | a whole number of at least 1",
                "retry.mode                             | weaving             | proxy or aspectj",
            })
    void aValueJustPastWhatTheKeyAllowsNamesTheKeyTheValueAndTheRange(String key, String value, String allowed) {
        assertRefused(key + "=" + value, key, value, allowed);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "retry.policies.orders.retry-on-status=500,5xx      | retry.policies.orders.retry-on-status[1]   | 5xx",
                "retry.policies.orders.retry-on-status=599,600      | retry.policies.orders.retry-on-status[1]   | 600",
                "retry.circuit-breakers.orders.record-on-status=99  | retry.circuit-breakers.orders.record-on-status[0] | 99",
                "'retry.circuit-breakers.orders.record-on-status=500, ,502' | retry.circuit-breakers.orders.record-on-status[1] | ''",
            })
    void aBadStatusInAListIsNamedByItsIndex(String property, String path, String value) {
        assertRefused(property, path, value, "an HTTP status from 100 to 599");
    }

    @Test
    void aBlankAmongTheExceptionClassesIsNamedByItsIndexRatherThanIgnored() {
        assertRefused(
                "retry.policies.orders.retry-on=java.io.IOException,,",
                "retry.policies.orders.retry-on[1]",
                "",
                "the fully qualified name of an exception class on the class path, and no class of that name was found",
                "retry.policies.orders.retry-on[2] was ''");
    }

    /**
     * Spring Boot drops a space or a {@code ü} from a name written without brackets, so the path a
     * message names for such an entry is the bracketed one the user has to write, not {@code
     * retry.policies.a b.max-attempts}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a b", "ünï", "pay.gateway", "x/y"})
    void anEntryWhoseNameNeedsBracketsIsNamedWithThem(String name) {
        String path = "retry.policies.[" + name + "].max-attempts";
        assertRefused(path + "=0", path, "0", "a whole number of at least 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Orders", "ORDERS_EU", "orders-eu"})
    void anEntryWhoseNameSpringKeepsAsWrittenIsNamedWithoutBrackets(String name) {
        String path = "retry.policies." + name + ".max-attempts";
        assertRefused(path + "=0", path, "0", "a whole number of at least 1");
    }

    /**
     * The health indicator reads this key from the environment itself; a value that is no boolean
     * used to stop the start-up with Spring's ConversionFailedException from inside the indicator's
     * bean, which no analyzer explained.
     */
    @ParameterizedTest
    @ValueSource(strings = {"maybe", ""})
    void aHealthDownWhenOpenThatIsNoBooleanFailsTheStartUpWithRetrysMessage(String value) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RetryAutoConfiguration.class,
                        RetryEndpointAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class))
                .withPropertyValues("retry.health.down-when-open=" + value)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(analysisOf(context.getStartupFailure(), "retry.health.down-when-open=" + value)
                                    .getDescription())
                            .isEqualTo("Invalid retry configuration: retry.health.down-when-open was '" + value
                                    + "', but it must be true or false");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "yes", "OFF"})
    void aHealthDownWhenOpenThatSpringReadsAsABooleanStartsAsBefore(String value) {
        runner.withPropertyValues("retry.health.down-when-open=" + value)
                .run(context -> assertThat(context).hasNotFailed());
    }

    private void assertRefused(String property, String path, String value, String allowed, String... alsoReported) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            String description =
                    analysisOf(context.getStartupFailure(), property).getDescription();
            String expected =
                    "Invalid retry configuration: " + path + " was '" + value + "', but it must be " + allowed;
            if (alsoReported.length == 0) {
                assertThat(description).isEqualTo(expected);
            } else {
                assertThat(description).startsWith(expected + "\n").contains(alsoReported);
            }
        });
    }

    private static FailureAnalysis analysisOf(Throwable startupFailure, String property) {
        MockEnvironment environment = new MockEnvironment();
        TestPropertyValues.of(property).applyTo(environment);
        FailureAnalysis analysis = new RetryConfigurationFailureAnalyzer(environment).analyze(startupFailure);
        assertThat(analysis).as("analysis of %s", startupFailure).isNotNull();
        return analysis;
    }
}
