package dev.retry.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.Hedged;
import dev.retry.spring.HeldTimers;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryObservationAutoConfiguration;
import dev.retry.spring.registry.PolicyTime;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
import org.springframework.test.util.AopTestUtils;

/** A hedged call's attempts: two overlapping children of one call, the loser cancelled. */
class HedgedObservationsTests {

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryObservationAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class))
            .withPropertyValues("retry.hedges.search.delay=20ms")
            .withBean(ObservationRegistry.class, () -> observations)
            .withBean(Search.class);

    /** Its first invocation of a call hangs; the hedge answers. */
    static class Search {

        private final AtomicInteger invocations = new AtomicInteger();

        @Hedged("search")
        public String find() throws InterruptedException {
            if (invocations.getAndIncrement() == 0) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(30)); // interrupted once the hedge has won
                return "primary";
            }
            return "hedge";
        }

        @Hedged("search")
        public CompletionStage<String> findLater() {
            if (invocations.getAndIncrement() == 0) {
                return new CompletableFuture<>(); // never answers; cancelled once the hedge has won
            }
            return CompletableFuture.completedFuture("hedge");
        }
    }

    @Test
    void aSynchronousHedgedCallShowsTheHedgeWinningAndThePrimaryCancelled() {
        // Both attempts run on the executor, and the first to arrive is the one that hangs: the hedge's
        // timer fires once the primary runs, since with a real 20 ms one a primary that a busy machine
        // started late arrived second, answered, and won.
        HeldTimers timers = new HeldTimers();
        runner.withBean(PolicyTime.class, timers::policyTime).run(context -> {
            Search search = context.getBean(Search.class);
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<String> answer = caller.submit(search::find);
                Awaitility.await("the primary runs")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> AopTestUtils.<Search>getUltimateTargetObject(search)
                                        .invocations
                                        .get()
                                == 1);
                timers.awaitTimer(Duration.ofMillis(20)).fire();
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("hedge");
            } finally {
                caller.shutdownNow();
            }

            assertHedgeWonOverlappingThePrimary("Search.find");
        });
    }

    @Test
    void anAsynchronousHedgedCallShowsTheHedgeWinningAndThePrimaryCancelled() {
        runner.run(context -> {
            String answer = context.getBean(Search.class)
                    .findLater()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo("hedge");

            assertHedgeWonOverlappingThePrimary("Search.findLater");
        });
    }

    private void assertHedgeWonOverlappingThePrimary(String method) {
        // The loser ends on its own thread once it has seen its interrupt or its cancellation.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(attempts())
                        .hasSize(2)
                        .allSatisfy(attempt -> assertThat(attempt.getOutcome()).isNotNull()));
        List<RetryAttemptContext> attempts = attempts();
        RetryAttemptContext primary = attempts.stream()
                .filter(attempt -> attempt.getKind() == AttemptKind.FIRST)
                .findFirst()
                .orElseThrow();
        RetryAttemptContext hedge = attempts.stream()
                .filter(attempt -> attempt.getKind() == AttemptKind.HEDGE)
                .findFirst()
                .orElseThrow();
        assertThat(primary.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("cancelled");
        assertThat(hedge.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
        assertThat(hedge.getLowCardinalityKeyValue("attempt").getValue()).isEqualTo("1");
        assertThat(primary.getError()).isNull();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> TestObservationRegistryAssert.assertThat(observations)
                        .hasObservationWithNameEqualTo("retry.call")
                        .that()
                        .hasBeenStopped()
                        .hasLowCardinalityKeyValue("method", method)
                        .hasLowCardinalityKeyValue("hedge.name", "search")
                        .hasLowCardinalityKeyValue("outcome", "success"));
        assertThat(attempts)
                .allSatisfy(attempt -> assertThat(attempt.getParentObservation().getContextView())
                        .isSameAs(primary.getCall()));
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
}
