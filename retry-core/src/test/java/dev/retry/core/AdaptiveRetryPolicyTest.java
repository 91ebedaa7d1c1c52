package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract's promises for {@code adaptive.enabled}, each bound pinned, through the real policy in
 * virtual time: a steady 50 calls a second (one every 20 ms) against a service the test turns off
 * and on, and the limit read after every call as the {@code retry.attempts.limit} gauge would.
 */
class AdaptiveRetryPolicyTest {

    private static final Duration CALL_INTERVAL = Duration.ofMillis(20);
    private static final int CALLS_PER_SECOND = 50;

    private final VirtualClock time = new VirtualClock();

    private RetryPolicyBuilder policy(int maxAttempts) {
        return RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .jitter(Jitter.NONE)
                .delay(Duration.ofMillis(100))
                .maxAttempts(maxAttempts);
    }

    /** How the service answers; the test switches it while calls run. */
    enum Health {
        UP,
        DOWN,
        /** One first attempt in ten fails; every retry succeeds: an ordinary flaky service. */
        FLAKY,
        /** Every first attempt fails and every retry succeeds: a policy that lives on its retries. */
        FIRST_ATTEMPTS_FAIL
    }

    static final class Service implements Supplier<CompletionStage<String>> {

        Health health = Health.UP;
        RuntimeException failure = new IllegalStateException("down");
        long attempts;
        long firstAttempts;

        @Override
        public CompletionStage<String> get() {
            attempts++;
            boolean first = RetryContext.current().attempt() == 1;
            if (first) {
                firstAttempts++;
            }
            boolean fails = switch (health) {
                case UP -> false;
                case DOWN -> true;
                case FLAKY -> first && firstAttempts % 10 == 0;
                case FIRST_ATTEMPTS_FAIL -> first;
            };
            return fails ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture("ok");
        }
    }

    /**
     * Starts a call every 20 ms for {@code duration}, the clock running the retries as they fall
     * due, and returns the limit read after each call: entry {@code i} is {@code (i + 1) * 20 ms} in.
     */
    private List<Integer> drive(RetryPolicy policy, Service service, Duration duration) {
        List<Integer> limits = new ArrayList<>();
        for (long i = 0; i < duration.dividedBy(CALL_INTERVAL); i++) {
            policy.callAsync(service);
            time.advance(CALL_INTERVAL);
            limits.add(policy.currentMaxAttempts());
        }
        return limits;
    }

    /** How long into a drive the limit first equals {@code limit}; fails the test if it never does. */
    private static Duration firstTimeAt(List<Integer> limits, int limit) {
        int index = limits.indexOf(limit);
        assertThat(index).as("the limit reached %d in %s", limit, limits).isNotNegative();
        return CALL_INTERVAL.multipliedBy(index + 1L);
    }

    private static Duration at(double seconds) {
        return Duration.ofMillis((long) (seconds * 1000));
    }

    private static int limitAt(List<Integer> limits, double seconds) {
        return limits.get((int) (at(seconds).toMillis() / CALL_INTERVAL.toMillis()) - 1);
    }

    @Nested
    class TheAttemptLimit {

        @ParameterizedTest(name = "maxAttempts {0}, minAttempts {1}")
        @CsvSource({"3, 1", "2, 1", "5, 2", "10, 1", "6, 3"})
        void underADeadServiceFallsToMinAttemptsWithinTenSecondsButNotAtOnceAndNeverRises(int max, int min) {
            RetryPolicy policy = policy(max).adaptive(min).build();
            Service service = new Service();
            service.health = Health.DOWN;

            List<Integer> limits = drive(policy, service, Duration.ofSeconds(30));

            assertThat(limitAt(limits, 1.0)).as("after 1 s").isGreaterThan(min);
            assertThat(firstTimeAt(limits, min)).isLessThanOrEqualTo(Duration.ofSeconds(10));
            for (int i = 1; i < limits.size(); i++) {
                assertThat(limits.get(i))
                        .as("the limit %s in after %s", CALL_INTERVAL.multipliedBy(i + 1L), limits.get(i - 1))
                        .isLessThanOrEqualTo(limits.get(i - 1));
            }
            assertThat(limits.get(limits.size() - 1)).isEqualTo(min);
        }

        @ParameterizedTest(name = "maxAttempts {0}, minAttempts {1}")
        @CsvSource({"3, 1", "2, 1", "5, 2", "10, 1", "6, 3"})
        void afterRecoveryClimbsBackToMaxAttemptsWithinTwentySecondsWithoutEverFalling(int max, int min) {
            RetryPolicy policy = policy(max).adaptive(min).build();
            Service service = new Service();
            service.health = Health.DOWN;
            assertThat(drive(policy, service, Duration.ofSeconds(30))).endsWith(min);

            service.health = Health.UP;
            List<Integer> limits = drive(policy, service, Duration.ofSeconds(25));

            assertThat(firstTimeAt(limits, max)).isLessThanOrEqualTo(Duration.ofSeconds(20));
            for (int i = 1; i < limits.size(); i++) {
                assertThat(limits.get(i)).isGreaterThanOrEqualTo(limits.get(i - 1));
            }
        }

        @ParameterizedTest(name = "maxAttempts {0}")
        @CsvSource({"3", "2", "5"})
        void aFlakyServiceWhoseRetriesPayOffKeepsMaxAttemptsAndLosesThemWithinTenSecondsOfDying(int max) {
            RetryPolicy policy = policy(max).adaptive(1).build();
            Service service = new Service();
            service.health = Health.FLAKY;
            assertThat(drive(policy, service, Duration.ofSeconds(20))).containsOnly(max);

            service.health = Health.DOWN;
            assertThat(firstTimeAt(drive(policy, service, Duration.ofSeconds(15)), 1))
                    .isLessThanOrEqualTo(Duration.ofSeconds(10));
        }

        /**
         * The worst history for noticing a death: every call used to fail its first attempt and
         * succeed on its first retry, so the window is full of retries that paid off.
         */
        @ParameterizedTest(name = "maxAttempts {0}")
        @CsvSource({"2", "3", "5"})
        void aPolicyThatLivedOnItsRetriesStillFallsToMinAttemptsWithinTenSecondsOfTheirDying(int max) {
            RetryPolicy policy = policy(max).adaptive(1).build();
            Service service = new Service();
            service.health = Health.FIRST_ATTEMPTS_FAIL;
            assertThat(drive(policy, service, Duration.ofSeconds(20)))
                    .as("most first attempts fail but retries pay off: hold")
                    .containsOnly(max);

            service.health = Health.DOWN;
            assertThat(firstTimeAt(drive(policy, service, Duration.ofSeconds(15)), 1))
                    .isLessThanOrEqualTo(Duration.ofSeconds(10));
        }

        @Test
        void oneDeadCallAmongHealthyOnesMovesNothing() {
            RetryPolicy policy = policy(3).adaptive(1).build();
            Service service = new Service();
            List<Integer> limits = new ArrayList<>(drive(policy, service, Duration.ofSeconds(2)));
            service.health = Health.DOWN;
            policy.callAsync(service);
            time.advance(Duration.ofSeconds(1));
            service.health = Health.UP;
            limits.addAll(drive(policy, service, Duration.ofSeconds(12)));
            assertThat(limits).containsOnly(3);
        }

        @Test
        void failuresThePolicyNeverRetriesSayNothingAboutWhetherRetryingPays() {
            RetryPolicy policy = policy(3)
                    .adaptive(1)
                    .abortOn(IllegalArgumentException.class)
                    .build();
            Service service = new Service();
            service.health = Health.DOWN;
            service.failure = new IllegalArgumentException("no such order");
            assertThat(drive(policy, service, Duration.ofSeconds(15))).containsOnly(3);
            assertThat(policy.adaptiveOrNull().delayFactor()).isEqualTo(1.0);
        }

        @Test
        void rejectedResultsCountAsFailures() {
            RetryPolicy policy =
                    policy(3).adaptive(1).retryIfResult("pending"::equals).build();
            CompletableFuture<String> pending = CompletableFuture.completedFuture("pending");
            List<Integer> limits = new ArrayList<>();
            for (int i = 0; i < 10 * CALLS_PER_SECOND; i++) {
                policy.callAsync(() -> pending);
                time.advance(CALL_INTERVAL);
                limits.add(policy.currentMaxAttempts());
            }
            assertThat(firstTimeAt(limits, 1)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        }

        @Test
        void withoutAdaptationTheLimitIsMaxAttemptsWhateverHappens() {
            RetryPolicy policy = policy(3).build();
            Service service = new Service();
            service.health = Health.DOWN;
            assertThat(drive(policy, service, Duration.ofSeconds(15))).containsOnly(3);
            time.advance(Duration.ofMinutes(1));
            assertThat(service.attempts).isEqualTo(3L * 15 * CALLS_PER_SECOND);
            assertThat(policy.config().adaptive()).isFalse();
        }

        @Test
        void synchronousCallsAdaptToo() {
            RetryPolicy policy = policy(4).adaptive(1).build();
            IllegalStateException down = new IllegalStateException("down");
            int[] attempts = {0};
            CheckedSupplier<String, RuntimeException> deadCall = () -> {
                attempts[0]++;
                throw down;
            };
            List<Integer> attemptsPerCall = new ArrayList<>();
            List<Integer> limits = new ArrayList<>();
            Duration firstAtOne = null;
            long start = time.nanoTime();
            while (time.nanoTime() - start < Duration.ofSeconds(15).toNanos()) {
                attempts[0] = 0;
                assertThatThrownBy(() -> policy.call(deadCall)).isSameAs(down);
                attemptsPerCall.add(attempts[0]);
                limits.add(policy.currentMaxAttempts());
                if (firstAtOne == null && policy.currentMaxAttempts() == 1) {
                    firstAtOne = Duration.ofNanos(time.nanoTime() - start);
                }
                time.advance(CALL_INTERVAL);
            }
            assertThat(firstAtOne).isNotNull().isLessThanOrEqualTo(Duration.ofSeconds(10));
            assertThat(attemptsPerCall).startsWith(4).endsWith(1);
            for (int i = 1; i < limits.size(); i++) {
                assertThat(limits.get(i)).isLessThanOrEqualTo(limits.get(i - 1));
            }
        }
    }

    @Nested
    class TheLoad {

        /** What a dead service receives over 30 s at 50 calls a second, with and without adaptation. */
        @Test
        void aDeadServiceGetsNoMoreAttemptsWithAdaptationAndSoonOnlyMinAttemptsPerCall() {
            Service withAdaptation = new Service();
            withAdaptation.health = Health.DOWN;
            RetryPolicy adaptive = policy(3).adaptive(1).build();
            drive(adaptive, withAdaptation, Duration.ofSeconds(10));
            long inTheFirstTenSeconds = withAdaptation.attempts;
            drive(adaptive, withAdaptation, Duration.ofSeconds(20));
            time.advance(Duration.ofMinutes(1)); // every retry still waiting runs
            long adaptedAttempts = withAdaptation.attempts;

            VirtualClock otherTime = new VirtualClock();
            Service withoutAdaptation = new Service();
            withoutAdaptation.health = Health.DOWN;
            RetryPolicy fixed = RetryPolicy.builder()
                    .ticker(otherTime)
                    .sleeper(otherTime)
                    .scheduler(otherTime)
                    .jitter(Jitter.NONE)
                    .delay(Duration.ofMillis(100))
                    .maxAttempts(3)
                    .build();
            for (int i = 0; i < 30 * CALLS_PER_SECOND; i++) {
                fixed.callAsync(withoutAdaptation);
                otherTime.advance(CALL_INTERVAL);
            }
            otherTime.advance(Duration.ofMinutes(1));

            long calls = 30L * CALLS_PER_SECOND;
            assertThat(withoutAdaptation.attempts).isEqualTo(3 * calls);
            assertThat(adaptedAttempts)
                    .isLessThanOrEqualTo(withoutAdaptation.attempts)
                    .as("within a fifth of minAttempts x calls")
                    .isLessThanOrEqualTo(calls + calls / 5);
            assertThat(adaptedAttempts - inTheFirstTenSeconds)
                    .as("after 10 s, one attempt per call")
                    .isEqualTo(20L * CALLS_PER_SECOND);
        }
    }

    @Nested
    class TheDelays {

        /** The delays a single call waits, started once the driven calls' retries have run out. */
        private List<Duration> delaysOfOneCall(RetryPolicy policy, Service service) {
            time.advance(Duration.ofSeconds(1));
            int before = time.scheduledDelays().size();
            policy.callAsync(service);
            time.advance(Duration.ofSeconds(30));
            List<Duration> all = time.scheduledDelays();
            return all.subList(before, all.size());
        }

        @Test
        void stretchToTwiceWhenEveryFirstAttemptFails() {
            RetryPolicy policy = policy(3).adaptive(3).build();
            Service service = new Service();
            service.health = Health.DOWN;
            drive(policy, service, Duration.ofSeconds(2));
            assertThat(policy.adaptiveOrNull().delayFactor()).isEqualTo(2.0);
            assertThat(delaysOfOneCall(policy, service))
                    .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
        }

        @Test
        void shrinkToHalfWhenNoFirstAttemptFails() {
            RetryPolicy policy = policy(3).adaptive(1).build();
            Service service = new Service();
            drive(policy, service, Duration.ofSeconds(2));
            assertThat(policy.adaptiveOrNull().delayFactor()).isEqualTo(0.5);
            service.health = Health.FIRST_ATTEMPTS_FAIL;
            assertThat(delaysOfOneCall(policy, service))
                    .singleElement()
                    .satisfies(delay -> assertThat(delay).isBetween(Duration.ofMillis(50), Duration.ofMillis(51)));
        }

        @Test
        void neverLeaveHalfToTwiceAsTheServiceDiesAndRecovers() {
            RetryPolicy policy = policy(3).adaptive(3).build();
            Service service = new Service();
            List<Double> factors = new ArrayList<>();
            for (Health health : List.of(Health.UP, Health.FLAKY, Health.DOWN, Health.FIRST_ATTEMPTS_FAIL, Health.UP)) {
                service.health = health;
                for (int second = 0; second < 12; second++) {
                    drive(policy, service, Duration.ofSeconds(1));
                    factors.add(policy.adaptiveOrNull().delayFactor());
                }
            }
            assertThat(factors)
                    .allSatisfy(factor -> assertThat(factor).isBetween(0.5, 2.0))
                    .contains(0.5, 2.0);
            // Base delays are 100 and 200 ms: no scheduled delay was below half or above twice them.
            assertThat(time.scheduledDelays())
                    .allSatisfy(delay -> assertThat(delay).isBetween(Duration.ofMillis(50), Duration.ofMillis(400)));
        }

        @Test
        void areStillCappedByMaxDelay() {
            RetryPolicy policy =
                    policy(3).adaptive(3).maxDelay(Duration.ofMillis(150)).build();
            Service service = new Service();
            service.health = Health.DOWN;
            drive(policy, service, Duration.ofSeconds(2));
            assertThat(delaysOfOneCall(policy, service))
                    .containsExactly(Duration.ofMillis(150), Duration.ofMillis(150));
        }

        @Test
        void aDelayTheServerAskedForIsNotStretched() {
            RetryPolicy policy = policy(3).adaptive(3).build();
            Service service = new Service();
            service.health = Health.DOWN;
            service.failure = new RetryAfter(Duration.ofMillis(300));
            drive(policy, service, Duration.ofSeconds(2));
            assertThat(policy.adaptiveOrNull().delayFactor()).isEqualTo(2.0);
            assertThat(delaysOfOneCall(policy, service))
                    .containsExactly(Duration.ofMillis(300), Duration.ofMillis(300));
        }

        @Test
        void decorrelatedJitterIsStretchedOnceNotCompoundedFromRetryToRetry() {
            RetryPolicy fixed = RetryPolicy.builder()
                    .ticker(time)
                    .sleeper(time)
                    .scheduler(time)
                    .jitter(Jitter.DECORRELATED)
                    .random(() -> 0.9)
                    .delay(Duration.ofMillis(10))
                    .maxAttempts(4)
                    .build();
            Service service = new Service();
            service.health = Health.DOWN;
            List<Duration> unadapted = delaysOfOneCall(fixed, service);

            RetryPolicy adaptive = RetryPolicy.builder()
                    .ticker(time)
                    .sleeper(time)
                    .scheduler(time)
                    .jitter(Jitter.DECORRELATED)
                    .random(() -> 0.9)
                    .delay(Duration.ofMillis(10))
                    .maxAttempts(4)
                    .adaptive(4)
                    .build();
            drive(adaptive, service, Duration.ofSeconds(2));
            assertThat(adaptive.adaptiveOrNull().delayFactor()).isEqualTo(2.0);
            List<Duration> adapted = delaysOfOneCall(adaptive, service);

            // Drawn from [10 ms, 3 x previous] at 0.9: 28 ms, 76.6 ms, about 207.8 ms; then each doubled,
            // because the factor stayed 2 throughout.
            assertThat(unadapted).hasSize(3).startsWith(Duration.ofMillis(28), Duration.ofNanos(76_600_000));
            assertThat(adapted).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(adapted.get(i).toNanos())
                        .as("retry %d", i + 1)
                        .isCloseTo(2 * unadapted.get(i).toNanos(), org.assertj.core.data.Offset.offset(2L));
            }
        }
    }

    /** A failure that carries a server's {@code Retry-After}. */
    private static final class RetryAfter extends IllegalStateException implements RetryDelayHint {

        private static final long serialVersionUID = 1L;

        private final transient Duration delay;

        RetryAfter(Duration delay) {
            super("busy, come back in " + delay);
            this.delay = delay;
        }

        @Override
        public Duration requestedRetryDelay() {
            return delay;
        }
    }

    @Test
    void theGaugeIsMaxAttemptsForAPolicyThatDoesNotAdapt() {
        RetryPolicy policy = policy(5).build();
        assertThat(policy.currentMaxAttempts()).isEqualTo(5);
        assertThat(policy.adaptiveOrNull()).isNull();
    }
}
