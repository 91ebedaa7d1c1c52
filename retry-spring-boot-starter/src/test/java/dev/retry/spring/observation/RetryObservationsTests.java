package dev.retry.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.AttemptTimeoutException;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.RetryContext;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryObservationAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

/** The contract's observations, as a Micrometer {@link TestObservationRegistry} records them. */
class RetryObservationsTests {

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryObservationAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class))
            .withPropertyValues(
                    "retry.policies.default.delay=0ms",
                    "retry.policies.inventory.max-attempts=3",
                    "retry.circuit-breakers.payments.minimum-calls=1",
                    "retry.hedges.default.delay=10ms",
                    "retry.timeouts.quick.duration=100ms")
            .withBean(ObservationRegistry.class, () -> observations)
            .withBean(Inventory.class);

    /** Fails as often as it is told to, then answers; remembers which observation was current inside. */
    static class Inventory {

        private static final ThreadLocal<Boolean> SECOND_TRY = ThreadLocal.withInitial(() -> false);
        private final AtomicInteger failuresLeft = new AtomicInteger();
        private final List<String> keysSeen = new CopyOnWriteArrayList<>();
        private final List<Observation> currentInside = new CopyOnWriteArrayList<>();
        private ObservationRegistry registry = ObservationRegistry.NOOP;

        // Plain methods: the proxy passes them straight to the bean, whose fields these are.
        public void failNext(int failures) {
            failuresLeft.set(failures);
        }

        public List<Observation> currentInside() {
            return currentInside;
        }

        public void watch(ObservationRegistry registry) {
            this.registry = registry;
        }

        @Retryable("inventory")
        public String stock() throws IOException {
            currentInside.add(registry.getCurrentObservation());
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IOException("inventory down");
            }
            return "42";
        }

        @Retryable("inventory")
        public CompletionStage<String> stockLater() {
            currentInside.add(registry.getCurrentObservation());
            if (failuresLeft.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new IOException("inventory down"));
            }
            return CompletableFuture.supplyAsync(() -> "42");
        }

        @Retryable("inventory")
        public Mono<String> stockReactive() {
            currentInside.add(registry.getCurrentObservation());
            if (failuresLeft.getAndDecrement() > 0) {
                return Mono.error(new IOException("inventory down"));
            }
            return Mono.just("42");
        }

        @Retryable("inventory")
        @Fallback("noStock")
        public String stockOrNone() throws IOException {
            keysSeen.add(RetryContext.current().attempt() + ":"
                    + RetryContext.current().idempotencyKey());
            throw new IOException("inventory down");
        }

        String noStock(IOException failure) {
            return "none";
        }

        public List<String> keysSeen() {
            return keysSeen;
        }

        /** Fails its first attempt on every call, by a flag of the caller's thread: so calls can run side by side. */
        @Retryable("inventory")
        public String stockOnSecondTry() throws IOException {
            if (!SECOND_TRY.get()) {
                SECOND_TRY.set(true);
                throw new IOException("first try");
            }
            SECOND_TRY.set(false);
            return "42";
        }

        @CircuitBreaker("payments")
        public String pay() throws IOException {
            throw new IOException("payments down");
        }

        @Timeout("quick")
        public String slow() throws InterruptedException {
            Thread.sleep(TimeUnit.SECONDS.toMillis(30));
            return "never";
        }
    }

    private Inventory inventory(org.springframework.context.ApplicationContext context) {
        Inventory inventory = context.getBean(Inventory.class);
        inventory.watch(observations);
        return inventory;
    }

    @Test
    void aCallRetriedTwiceIsOneCallObservationWithThreeAttemptChildren() {
        runner.run(context -> {
            Inventory inventory = inventory(context);
            inventory.failNext(2);

            assertThat(inventory.stock()).isEqualTo("42");

            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo("retry.call", 1)
                    .hasNumberOfObservationsWithNameEqualTo("retry.attempt", 3)
                    .hasObservationWithNameEqualTo("retry.call")
                    .that()
                    .hasBeenStarted()
                    .hasBeenStopped()
                    .hasLowCardinalityKeyValue("method", "Inventory.stock")
                    .hasLowCardinalityKeyValue("outcome", "success_after_retry")
                    .hasLowCardinalityKeyValue("retry.policy", "inventory")
                    .doesNotHaveLowCardinalityKeyValueWithKey("circuitbreaker.name")
                    .doesNotHaveError();
            List<RetryAttemptContext> attempts = attempts();
            assertThat(attempts)
                    .extracting(RetryAttemptContext::getAttempt, RetryAttemptContext::getKind, this::outcomeKey)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, AttemptKind.FIRST, "failure"),
                            org.assertj.core.groups.Tuple.tuple(2, AttemptKind.RETRY, "failure"),
                            org.assertj.core.groups.Tuple.tuple(3, AttemptKind.RETRY, "success"));
            RetryCallContext call = callContext();
            assertThat(attempts).allSatisfy(attempt -> {
                assertThat(attempt.getCall()).isSameAs(call);
                assertThat(attempt.getParentObservation().getContextView()).isSameAs(call);
            });
            assertThat(attempts.get(0).getError()).isInstanceOf(IOException.class);
            assertThat(attempts.get(2).getError()).isNull();
            // The attempt is the current observation while the method runs, so its spans are the attempt's children.
            assertThat(inventory.currentInside())
                    .extracting(observation -> observation.getContextView())
                    .containsExactlyElementsOf(attempts);
        });
    }

    @Test
    void aCallThatFailsAfterItsRetriesCarriesTheFailureAsItsError() {
        runner.run(context -> {
            Inventory inventory = inventory(context);
            inventory.failNext(5);

            assertThatThrownBy(inventory::stock).isInstanceOf(IOException.class);

            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo("retry.attempt", 3)
                    .hasObservationWithNameEqualTo("retry.call")
                    .that()
                    .hasLowCardinalityKeyValue("outcome", "failure_after_retry")
                    .assertThatError()
                    .isInstanceOf(IOException.class)
                    .hasMessage("inventory down");
        });
    }

    @Test
    void anAttemptTheBreakerRefusesEndsRejected() {
        runner.run(context -> {
            Inventory inventory = inventory(context);
            assertThatThrownBy(inventory::pay).isInstanceOf(IOException.class);
            observations.clear();

            assertThatThrownBy(inventory::pay).isInstanceOf(CircuitOpenException.class);

            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo("retry.call")
                    .that()
                    .hasLowCardinalityKeyValue("outcome", "failure")
                    .hasLowCardinalityKeyValue("circuitbreaker.name", "payments")
                    .doesNotHaveLowCardinalityKeyValueWithKey("retry.policy");
            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo("retry.attempt")
                    .that()
                    .hasLowCardinalityKeyValue("attempt", "1")
                    .hasLowCardinalityKeyValue("kind", "first")
                    .hasLowCardinalityKeyValue("outcome", "rejected")
                    .assertThatError()
                    .isInstanceOf(CircuitOpenException.class);
        });
    }

    @Test
    void anAttemptThatOverrunsItsTimeoutEndsTimeout() {
        runner.run(context -> {
            Inventory inventory = inventory(context);

            assertThatThrownBy(inventory::slow).isInstanceOf(AttemptTimeoutException.class);

            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo("retry.attempt")
                    .that()
                    .hasLowCardinalityKeyValue("outcome", "timeout")
                    .assertThatError()
                    .isInstanceOf(AttemptTimeoutException.class);
            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo("retry.call")
                    .that()
                    .hasLowCardinalityKeyValue("timeout.name", "quick")
                    .hasLowCardinalityKeyValue("outcome", "failure");
        });
    }

    @Test
    void aCompletionStageCallIsObservedUntilItsStageCompletes() {
        runner.run(context -> {
            Inventory inventory = inventory(context);
            inventory.failNext(2);

            CompletableFuture<String> answer = inventory.stockLater().toCompletableFuture();

            assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("42");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> TestObservationRegistryAssert.assertThat(observations)
                            .hasObservationWithNameEqualTo("retry.call")
                            .that()
                            .hasBeenStopped());
            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo("retry.attempt", 3)
                    .hasObservationWithNameEqualTo("retry.call")
                    .that()
                    .hasLowCardinalityKeyValue("method", "Inventory.stockLater")
                    .hasLowCardinalityKeyValue("outcome", "success_after_retry");
            List<RetryAttemptContext> attempts = attempts();
            assertThat(attempts).extracting(this::outcomeKey).containsExactly("failure", "failure", "success");
            assertThat(attempts)
                    .allSatisfy(
                            attempt -> assertThat(attempt.getParentObservation().getContextView())
                                    .isSameAs(callContext()));
            assertThat(inventory.currentInside())
                    .extracting(observation -> observation.getContextView())
                    .containsExactlyElementsOf(attempts);
        });
    }

    @Test
    void aMonoCallIsObservedPerSubscription() {
        runner.run(context -> {
            Inventory inventory = inventory(context);
            inventory.failNext(1);
            Mono<String> stock = inventory.stockReactive();
            TestObservationRegistryAssert.assertThat(observations).doesNotHaveAnyObservation();

            assertThat(stock.block(Duration.ofSeconds(30))).isEqualTo("42");

            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo("retry.call", 1)
                    .hasNumberOfObservationsWithNameEqualTo("retry.attempt", 2)
                    .hasObservationWithNameEqualTo("retry.call")
                    .that()
                    .hasBeenStopped()
                    .hasLowCardinalityKeyValue("outcome", "success_after_retry");
            assertThat(attempts()).extracting(this::outcomeKey).containsExactly("failure", "success");
        });
    }

    @Test
    void aFallbackAnswerAfterFailedAttemptsIsAFailureOnTheObservationButNoErrorAndKeepsOneKeyPerCall() {
        runner.run(context -> {
            Inventory inventory = inventory(context);

            assertThat(inventory.stockOrNone()).isEqualTo("none");

            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo("retry.attempt", 3)
                    .hasObservationWithNameEqualTo("retry.call")
                    .that()
                    .hasLowCardinalityKeyValue("outcome", "failure_after_retry")
                    .doesNotHaveError();
            String key = inventory.keysSeen().get(0).substring(2);
            assertThat(inventory.keysSeen()).containsExactly("1:" + key, "2:" + key, "3:" + key);
        });
    }

    /** Many calls at once: each call's attempts are its own children, and every observation ends. */
    @Test
    void callsSideBySideEachHaveTheirOwnAttempts() {
        runner.run(context -> {
            Inventory inventory = inventory(context);
            int threads = 8;
            int callsEach = 200;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < callsEach; i++) {
                            assertThat(inventory.stockOnSecondTry()).isEqualTo("42");
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> each : done) {
                    each.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            AtomicReference<List<Observation.Context>> handled = new AtomicReference<>();
            TestObservationRegistryAssert.assertThat(observations).hasHandledContextsThatSatisfy(handled::set);
            Map<Observation.ContextView, List<RetryAttemptContext>> byCall = new IdentityHashMap<>();
            for (Observation.Context each : handled.get()) {
                if (each instanceof RetryAttemptContext attempt) {
                    assertThat(attempt.getParentObservation().getContextView()).isSameAs(attempt.getCall());
                    byCall.computeIfAbsent(attempt.getCall(), call -> new ArrayList<>())
                            .add(attempt);
                }
            }
            assertThat(byCall).hasSize(threads * callsEach);
            assertThat(byCall.values())
                    .allSatisfy(attempts -> assertThat(attempts)
                            .extracting(RetryAttemptContext::getAttempt, this::outcomeKey)
                            .containsExactly(
                                    org.assertj.core.groups.Tuple.tuple(1, "failure"),
                                    org.assertj.core.groups.Tuple.tuple(2, "success")));
            TestObservationRegistryAssert.assertThat(observations)
                    .forAllObservationsWithNameEqualTo(
                            "retry.call", call -> call.hasLowCardinalityKeyValue("outcome", "success_after_retry"));
        });
    }

    private List<RetryAttemptContext> attempts() {
        AtomicReference<List<RetryAttemptContext>> found = new AtomicReference<>();
        TestObservationRegistryAssert.assertThat(observations)
                .hasHandledContextsThatSatisfy(contexts -> found.set(contexts.stream()
                        .filter(RetryAttemptContext.class::isInstance)
                        .map(RetryAttemptContext.class::cast)
                        .toList()));
        return found.get();
    }

    private RetryCallContext callContext() {
        AtomicReference<RetryCallContext> found = new AtomicReference<>();
        TestObservationRegistryAssert.assertThat(observations).hasHandledContextsThatSatisfy(contexts -> {
            List<RetryCallContext> calls = contexts.stream()
                    .filter(RetryCallContext.class::isInstance)
                    .map(RetryCallContext.class::cast)
                    .toList();
            assertThat(calls).hasSize(1);
            found.set(calls.get(0));
        });
        return found.get();
    }

    private String outcomeKey(RetryAttemptContext attempt) {
        return attempt.getLowCardinalityKeyValue("outcome").getValue();
    }
}
