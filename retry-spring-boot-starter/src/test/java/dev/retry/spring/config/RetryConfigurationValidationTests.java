package dev.retry.spring.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.config.InvalidRetryConfigurationException.Problem;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

/**
 * Every bad value fails the start-up, and the failure analysis names its property path, the value
 * and what is allowed, in the words a user reads in the console.
 */
class RetryConfigurationValidationTests {

    private static final String DURATION = "a duration of zero or more, such as 100ms, 2s, 1m or PT0.5S";
    private static final String POSITIVE_DURATION = "a duration of more than zero, such as 100ms, 2s, 1m or PT0.5S";
    private static final String PERCENTAGE = "a percentage above 0 and at most 100";
    private static final String MISSING_CLASS =
            "the fully qualified name of an exception class on the class path, and no class of that name was found";
    private static final String HEDGE_DELAY =
            "a duration of zero or more, such as 100ms or 2s, or a percentile of observed latency from p50 to p99.9";

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class));

    @Nested
    class Policies {

        @Test
        void maxAttemptsBelowOne() {
            assertRefused("retry.policies.inventory.max-attempts=0", "a whole number of at least 1");
        }

        @Test
        void maxAttemptsThatIsNoNumber() {
            assertRefused("retry.policies.inventory.max-attempts=three", "a whole number of at least 1");
        }

        @Test
        void maxAttemptsTooBigForAnInt() {
            assertRefused("retry.policies.inventory.max-attempts=99999999999999999999", "a whole number of at least 1");
        }

        @Test
        void unknownBackoff() {
            assertRefused("retry.policies.inventory.backoff=random", "one of fixed, linear, exponential, fibonacci");
        }

        @Test
        void negativeDelay() {
            assertRefused("retry.policies.inventory.delay=-1s", DURATION);
        }

        @Test
        void unparsableDelay() {
            assertRefused("retry.policies.inventory.delay=10 seconds", DURATION);
        }

        @Test
        void multiplierBelowOne() {
            assertRefused("retry.policies.inventory.multiplier=0.5", "a finite number of at least 1.0");
        }

        @Test
        void multiplierThatIsNoNumber() {
            assertRefused("retry.policies.inventory.multiplier=NaN", "a finite number of at least 1.0");
        }

        @Test
        void delayLongerThanMaxDelay() {
            assertRefused(
                    new String[] {"retry.policies.inventory.delay=5s", "retry.policies.inventory.max-delay=1s"},
                    "retry.policies.inventory.max-delay",
                    "1s",
                    "a duration of at least delay, 5s (retry.policies.inventory.delay)");
        }

        @Test
        void delayLongerThanAnInheritedMaxDelayIsBlamedOnTheEntryThatWroteIt() {
            assertRefused(
                    new String[] {"retry.policies.default.max-delay=1s", "retry.policies.inventory.delay=5s"},
                    "retry.policies.inventory.delay",
                    "5s",
                    "a duration of zero or more and at most max-delay, 1s (retry.policies.default.max-delay)");
        }

        @Test
        void maxDelayShorterThanTheBuiltInDelay() {
            assertRefused(
                    new String[] {"retry.policies.inventory.max-delay=50ms"},
                    "retry.policies.inventory.max-delay",
                    "50ms",
                    "a duration of at least delay, 100ms (the built-in default)");
        }

        @Test
        void negativeMaxDelay() {
            assertRefused("retry.policies.inventory.max-delay=-10s", DURATION);
        }

        @Test
        void unknownJitter() {
            assertRefused("retry.policies.inventory.jitter=some", "one of none, full, equal, decorrelated");
        }

        @Test
        void negativeMaxDuration() {
            assertRefused("retry.policies.inventory.max-duration=-5m", DURATION);
        }

        @Test
        void retryOnClassNotOnTheClassPath() {
            assertRefused(
                    new String[] {"retry.policies.inventory.retry-on=java.io.IOException,com.example.NoSuchException"},
                    "retry.policies.inventory.retry-on[1]",
                    "com.example.NoSuchException",
                    MISSING_CLASS);
        }

        @Test
        void retryOnClassTheApplicationCannotSee() {
            runner.withClassLoader(new FilteredClassLoader(java.sql.SQLException.class))
                    .withPropertyValues("retry.policies.inventory.retry-on=java.sql.SQLException")
                    .run(context -> assertThat(analysisOf(context.getStartupFailure(), null)
                                    .getDescription())
                            .isEqualTo(
                                    "Invalid retry configuration: retry.policies.inventory.retry-on[0] was 'java.sql.SQLException', "
                                            + "but it must be " + MISSING_CLASS));
        }

        @Test
        void retryOnClassThatIsNoException() {
            assertRefused(
                    new String[] {"retry.policies.inventory.retry-on=java.lang.String"},
                    "retry.policies.inventory.retry-on[0]",
                    "java.lang.String",
                    "the name of an exception class (a java.lang.Throwable), which java.lang.String is not");
        }

        @Test
        void abortOnClassNotOnTheClassPath() {
            assertRefused(
                    new String[] {"retry.policies.inventory.abort-on=IOException"},
                    "retry.policies.inventory.abort-on[0]",
                    "IOException",
                    MISSING_CLASS);
        }

        @Test
        void httpStatusAboveTheRange() {
            assertRefused(
                    new String[] {"retry.policies.inventory.retry-on-status=429,600"},
                    "retry.policies.inventory.retry-on-status[1]",
                    "600",
                    "an HTTP status from 100 to 599");
        }

        @Test
        void httpStatusBelowTheRange() {
            assertRefused(
                    new String[] {"retry.policies.inventory.retry-on-status=99"},
                    "retry.policies.inventory.retry-on-status[0]",
                    "99",
                    "an HTTP status from 100 to 599");
        }

        @Test
        void httpStatusThatIsNoNumber() {
            assertRefused(
                    new String[] {"retry.policies.inventory.retry-on-status=SERVICE_UNAVAILABLE"},
                    "retry.policies.inventory.retry-on-status[0]",
                    "SERVICE_UNAVAILABLE",
                    "an HTTP status from 100 to 599");
        }

        @Test
        void negativeBudgetRatio() {
            assertRefused("retry.policies.inventory.budget.ratio=-0.1", "a number from 0.0 to 100.0");
        }

        @Test
        void aBudgetRatioSoLargeThatItWouldGrantNoRetryIsRefused() {
            assertRefused("retry.policies.inventory.budget.ratio=1e300", "a number from 0.0 to 100.0");
        }

        @Test
        void negativeMinRetriesPerSecond() {
            assertRefused("retry.policies.inventory.budget.min-retries-per-second=-1", "a whole number of at least 0");
        }

        @Test
        void adaptiveEnabledThatIsNoBoolean() {
            assertRefused("retry.policies.inventory.adaptive.enabled=sometimes", "true or false");
        }

        @Test
        void adaptiveMinAttemptsBelowOne() {
            assertRefused("retry.policies.inventory.adaptive.min-attempts=0", "a whole number of at least 1");
        }

        @Test
        void adaptiveMinAttemptsAboveMaxAttempts() {
            assertRefused(
                    new String[] {"retry.policies.inventory.adaptive.min-attempts=4"},
                    "retry.policies.inventory.adaptive.min-attempts",
                    "4",
                    "a whole number from 1 to max-attempts, 3 (the built-in default)");
        }

        @Test
        void maxAttemptsBelowAnInheritedAdaptiveMinAttemptsIsBlamedOnTheEntryThatWroteIt() {
            assertRefused(
                    new String[] {
                        "retry.policies.default.adaptive.min-attempts=3", "retry.policies.inventory.max-attempts=2"
                    },
                    "retry.policies.inventory.max-attempts",
                    "2",
                    "a whole number of at least adaptive.min-attempts, 3 (retry.policies.default.adaptive.min-attempts)");
        }
    }

    @Nested
    class CircuitBreakers {

        @Test
        void unknownWindow() {
            assertRefused("retry.circuit-breakers.inventory.window=sliding", "one of count, time");
        }

        @Test
        void aCountWindowSmallerThanTheInheritedMinimumCallsIsRefusedBecauseTheBreakerCouldNeverOpen() {
            assertRefused(
                    new String[] {"retry.circuit-breakers.inventory.window-size=10"},
                    "retry.circuit-breakers.inventory.window-size",
                    "10",
                    "a whole number of at least minimum-calls, 20 (the built-in default)");
        }

        @Test
        void minimumCallsAboveAnInheritedCountWindowIsBlamedOnTheEntryThatWroteIt() {
            assertRefused(
                    new String[] {
                        "retry.circuit-breakers.default.window-size=10",
                        "retry.circuit-breakers.default.minimum-calls=5",
                        "retry.circuit-breakers.inventory.minimum-calls=50"
                    },
                    "retry.circuit-breakers.inventory.minimum-calls",
                    "50",
                    "a whole number from 1 to window-size, 10 (retry.circuit-breakers.default.window-size)");
        }

        @Test
        void aTimeWindowOfAMillionSecondsIsRefused() {
            assertRefused(
                    new String[] {
                        "retry.circuit-breakers.inventory.window=time",
                        "retry.circuit-breakers.inventory.window-size=1000000"
                    },
                    "retry.circuit-breakers.inventory.window-size",
                    "1000000",
                    "a whole number from 1 to 3600");
        }

        @Test
        void windowSizeBelowOne() {
            assertRefused("retry.circuit-breakers.inventory.window-size=0", "a whole number from 1 to 1000000");
        }

        @Test
        void windowSizeAboveTheCoresLimit() {
            assertRefused("retry.circuit-breakers.inventory.window-size=1000001", "a whole number from 1 to 1000000");
        }

        @Test
        void minimumCallsBelowOne() {
            assertRefused("retry.circuit-breakers.inventory.minimum-calls=0", "a whole number of at least 1");
        }

        @Test
        void failureRateThresholdOfZero() {
            assertRefused("retry.circuit-breakers.inventory.failure-rate-threshold=0", PERCENTAGE);
        }

        @Test
        void failureRateThresholdAboveOneHundred() {
            assertRefused("retry.circuit-breakers.inventory.failure-rate-threshold=100.5", PERCENTAGE);
        }

        @Test
        void failureRateThresholdWrittenAsAPercentSign() {
            assertRefused("retry.circuit-breakers.inventory.failure-rate-threshold=50%", PERCENTAGE);
        }

        @Test
        void slowCallRateThresholdAboveOneHundred() {
            assertRefused("retry.circuit-breakers.inventory.slow-call-rate-threshold=150", PERCENTAGE);
        }

        @Test
        void slowCallDurationOfZero() {
            assertRefused("retry.circuit-breakers.inventory.slow-call-duration=0s", POSITIVE_DURATION);
        }

        @Test
        void negativeOpenDuration() {
            assertRefused("retry.circuit-breakers.inventory.open-duration=-30s", POSITIVE_DURATION);
        }

        @Test
        void halfOpenCallsBelowOne() {
            assertRefused("retry.circuit-breakers.inventory.half-open-calls=0", "a whole number of at least 1");
        }

        @Test
        void recordOnClassNotOnTheClassPath() {
            assertRefused(
                    new String[] {"retry.circuit-breakers.inventory.record-on=com.example.Gone"},
                    "retry.circuit-breakers.inventory.record-on[0]",
                    "com.example.Gone",
                    MISSING_CLASS);
        }

        @Test
        void ignoreOnClassThatIsNoException() {
            assertRefused(
                    new String[] {"retry.circuit-breakers.inventory.ignore-on=java.lang.Object"},
                    "retry.circuit-breakers.inventory.ignore-on[0]",
                    "java.lang.Object",
                    "the name of an exception class (a java.lang.Throwable), which java.lang.Object is not");
        }
    }

    @Nested
    class Hedges {

        @Test
        void maxHedgesOfTheLargestIntIsRefusedInsteadOfFailingTheFirstCall() {
            assertRefused("retry.hedges.search.max-hedges=2147483647", "a whole number from 0 to 10");
        }

        @Test
        void negativeMaxHedges() {
            assertRefused("retry.hedges.search.max-hedges=-1", "a whole number from 0 to 10");
        }

        @Test
        void percentileBelowP50() {
            assertRefused("retry.hedges.search.delay=p49", HEDGE_DELAY);
        }

        @Test
        void percentileAboveP999() {
            assertRefused("retry.hedges.search.delay=p99.99", HEDGE_DELAY);
        }

        @Test
        void unparsableDelay() {
            assertRefused("retry.hedges.search.delay=fast", HEDGE_DELAY);
        }

        @Test
        void negativeDelay() {
            assertRefused("retry.hedges.search.delay=-5ms", HEDGE_DELAY);
        }
    }

    @Nested
    class Timeouts {

        @Test
        void durationOfZero() {
            assertRefused("retry.timeouts.slow.duration=0s", POSITIVE_DURATION);
        }

        @Test
        void negativeDuration() {
            assertRefused("retry.timeouts.slow.duration=-1s", POSITIVE_DURATION);
        }

        @Test
        void interruptThatIsNoBoolean() {
            assertRefused("retry.timeouts.slow.interrupt=sometimes", "true or false");
        }
    }

    @Nested
    class Bulkheads {

        @Test
        void maxConcurrentCallsBelowOne() {
            assertRefused("retry.bulkheads.reports.max-concurrent-calls=0", "a whole number of at least 1");
        }

        @Test
        void negativeMaxWait() {
            assertRefused("retry.bulkheads.reports.max-wait=-1ms", DURATION);
        }

        @Test
        void unparsableMaxWait() {
            assertRefused("retry.bulkheads.reports.max-wait=forever", DURATION);
        }
    }

    /** What Spring Boot binds itself, and so refuses before RetrySettings sees it. */
    @Nested
    class BindingFailures {

        @Test
        void strictNamesThatIsNoBoolean() {
            assertRefused("retry.strict-names=maybe", "true or false");
        }

        @Test
        void aSingleValueWhereAGroupOfKeysBelongs() {
            assertRefused(
                    new String[] {"retry.policies.inventory.budget=0.1"},
                    "retry.policies.inventory.budget",
                    "0.1",
                    "a group of keys (ratio, min-retries-per-second), not a single value");
        }

        @Test
        void aSingleValueWhereASectionBelongs() {
            assertRefused(
                    new String[] {"retry.policies=5"},
                    "retry.policies",
                    "5",
                    "a group of named entries, each a group of keys (such as retry.policies.default), not a single value");
        }
    }

    @Test
    void everyBadValueIsReportedInOneFailureInTheOrderWritten() {
        runner.withPropertyValues(
                        "retry.policies.inventory.max-attempts=0",
                        "retry.policies.inventory.jitter=lots",
                        "retry.circuit-breakers.inventory.window-size=0",
                        "retry.timeouts.slow.duration=0s")
                .run(context -> {
                    FailureAnalysis analysis = analysisOf(context.getStartupFailure(), null);
                    assertThat(analysis.getDescription()).isEqualTo("""
                            Invalid retry configuration: retry.policies.inventory.max-attempts was '0', but it must be a whole number of at least 1
                            Invalid retry configuration: retry.policies.inventory.jitter was 'lots', but it must be one of none, full, equal, decorrelated
                            Invalid retry configuration: retry.circuit-breakers.inventory.window-size was '0', but it must be a whole number from 1 to 1000000
                            Invalid retry configuration: retry.timeouts.slow.duration was '0s', but it must be %s""".formatted(POSITIVE_DURATION));
                    assertThat(analysis.getAction()).isEqualTo("""
                            Update the retry configuration:
                              - set retry.policies.inventory.max-attempts to a whole number of at least 1
                              - set retry.policies.inventory.jitter to one of none, full, equal, decorrelated
                              - set retry.circuit-breakers.inventory.window-size to a whole number from 1 to 1000000
                              - set retry.timeouts.slow.duration to %s""".formatted(POSITIVE_DURATION));
                });
    }

    @Test
    void valuesSpringCannotConvertInTwoNamedEntriesAreListedInOneMessageAsWritten() {
        // Typed keys are converted by Spring; what it cannot convert is still ours to explain, all of it.
        runner.withPropertyValues(
                        "retry.policies.inventory.max-attempts=three",
                        "retry.bulkheads.orders.max-wait=soon",
                        "retry.bulkheads.orders.max-concurrent-calls=-2")
                .run(context -> {
                    FailureAnalysis analysis = analysisOf(context.getStartupFailure(), null);
                    assertThat(analysis.getDescription()).isEqualTo("""
                            Invalid retry configuration: retry.policies.inventory.max-attempts was 'three', but it must be a whole number of at least 1
                            Invalid retry configuration: retry.bulkheads.orders.max-concurrent-calls was '-2', but it must be a whole number of at least 1
                            Invalid retry configuration: retry.bulkheads.orders.max-wait was 'soon', but it must be %s""".formatted(DURATION));
                });
    }

    @Test
    void aKeyWrittenWithoutAValueIsRefusedRatherThanTakenForUnwritten() {
        // Spring converts blank text to no value at all, which would silently inherit the default's.
        assertRefused("retry.policies.inventory.max-attempts=", "a whole number of at least 1");
    }

    @Test
    void aBadDefaultIsReportedOnceWhereItIsWrittenNotOncePerEntryThatInheritsIt() {
        runner.withPropertyValues(
                        "retry.policies.default.max-attempts=0",
                        "retry.policies.inventory.delay=1s",
                        "retry.policies.orders.delay=2s")
                .run(context -> {
                    Throwable failure = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
                    assertThat(failure).isInstanceOf(InvalidRetryConfigurationException.class);
                    assertThat(((InvalidRetryConfigurationException) failure).problems())
                            .containsExactly(new Problem(
                                    "retry.policies.default.max-attempts", "0", "a whole number of at least 1"));
                });
    }

    @Test
    void lazyInitializationDoesNotPostponeTheCheckToTheFirstCall() {
        runner.withInitializer(context ->
                        context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
                .withPropertyValues("retry.policies.inventory.max-attempts=0")
                .run(context -> assertThat(context).hasFailed());
    }

    private void assertRefused(String property, String allowed) {
        int equals = property.indexOf('=');
        assertRefused(new String[] {property}, property.substring(0, equals), property.substring(equals + 1), allowed);
    }

    private void assertRefused(String[] properties, String path, String value, String allowed) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            // The failed context cannot hand out its environment; the analyzer gets one like it.
            MockEnvironment environment = new MockEnvironment();
            TestPropertyValues.of(properties).applyTo(environment);
            FailureAnalysis analysis = analysisOf(context.getStartupFailure(), environment);
            assertThat(analysis.getDescription())
                    .isEqualTo(
                            "Invalid retry configuration: " + path + " was '" + value + "', but it must be " + allowed);
            // The action says what to write; what was found wrong belongs to the description alone.
            String toWrite = allowed.replace(", and no class of that name was found", "");
            assertThat(analysis.getAction())
                    .isEqualTo("Update the retry configuration:\n  - set " + path + " to " + toWrite);
        });
    }

    private static FailureAnalysis analysisOf(Throwable startupFailure, @Nullable Environment environment) {
        FailureAnalysis analysis = new RetryConfigurationFailureAnalyzer(environment).analyze(startupFailure);
        assertThat(analysis).as("analysis of %s", startupFailure).isNotNull();
        return analysis;
    }
}
