package dev.retry.spring.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.RetryContext;
import dev.retry.core.RetryEvent;
import dev.retry.core.RetryListener;
import dev.retry.spring.HeldTimers;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryMetricsAutoConfiguration;
import dev.retry.spring.e2e.ScriptedHttpServer.Step;
import dev.retry.spring.registry.PolicyListeners;
import dev.retry.spring.registry.PolicyTime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The starter against a real HTTP server on a random port: 503 with Retry-After, 429, 500, 404,
 * dropped connections and slow answers, seen through the annotations, the YAML and the meters.
 */
class HttpEndToEndTests {

    private static ScriptedHttpServer server;

    /** A service as an application would write one. */
    static class Catalog {

        final RestClient http;
        final List<String> traceIdsSeen = new CopyOnWriteArrayList<>();

        Catalog(RestClient http) {
            this.http = http;
        }

        @Retryable("catalog")
        public String item(String path) {
            return http.get()
                    .uri(path)
                    .header("Idempotency-Key", RetryContext.current().idempotencyKey())
                    .retrieve()
                    .body(String.class);
        }

        @Retryable("catalog")
        @CircuitBreaker("catalog")
        @Fallback("cached")
        public String guarded(String path) {
            return http.get().uri(path).retrieve().body(String.class);
        }

        String cached(String path) {
            return "cached " + path;
        }

        @Retryable("catalog")
        @Timeout("catalog")
        public String timed(String path) {
            return http.get().uri(path).retrieve().body(String.class);
        }

        @Bulkhead("catalog")
        @Fallback("busy")
        public String limited(String path) {
            return http.get().uri(path).retrieve().body(String.class);
        }

        String busy(String path, BulkheadFullException refused) {
            return "busy: " + refused.bulkhead();
        }

        @Hedged("search")
        public String search(String path) {
            traceIdsSeen.add(String.valueOf(MDC.get("traceId")));
            return http.get()
                    .uri(path)
                    .header("Idempotency-Key", RetryContext.current().idempotencyKey())
                    .retrieve()
                    .body(String.class);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryMetricsAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(Catalog.class, () -> new Catalog(RestClient.create(server.baseUrl())))
            .withPropertyValues(
                    "retry.policies.default.delay=20ms",
                    "retry.policies.default.jitter=none",
                    "retry.policies.catalog.max-attempts=4",
                    "retry.circuit-breakers.catalog.window-size=4",
                    "retry.circuit-breakers.catalog.minimum-calls=4",
                    "retry.hedges.search.delay=150ms",
                    "retry.timeouts.catalog.duration=300ms",
                    "retry.bulkheads.catalog.max-concurrent-calls=2");

    @BeforeAll
    static void startServer() throws Exception {
        server = new ScriptedHttpServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Summed over the tags not given, such as {@code exception}. */
    private static double count(MeterRegistry meters, String name, String... tags) {
        return meters.get(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** The delay before each retry of each policy, as the policy chose it. */
    static final class RetryDelays implements PolicyListeners {

        final List<Duration> delays = new CopyOnWriteArrayList<>();

        @Override
        public RetryListener retryListener(String name) {
            return new RetryListener() {
                @Override
                public void onRetry(RetryEvent event) {
                    delays.add(event.delay());
                }
            };
        }
    }

    @Test
    void a503WithRetryAfterIsRetriedAfterTheDelayTheServerAskedForWithTheSameIdempotencyKey() {
        server.script("/busy", Step.retryAfter(503, "1"), Step.ok("in stock"));
        runner.withBean(RetryDelays.class).run(context -> {
            assertThat(context.getBean(Catalog.class).item("/busy")).isEqualTo("in stock");
            List<ScriptedHttpServer.Request> requests = server.requests("/busy");
            assertThat(requests).hasSize(2);
            assertThat(context.getBean(RetryDelays.class).delays)
                    .as("Retry-After: 1 rather than the 20 ms backoff")
                    .containsExactly(Duration.ofSeconds(1));
            long gapMillis =
                    (requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos()) / 1_000_000;
            assertThat(gapMillis).as("and it was waited out").isGreaterThanOrEqualTo(950L);
            assertThat(requests.get(1).idempotencyKey())
                    .isNotNull()
                    .isEqualTo(requests.get(0).idempotencyKey());
        });
    }

    @Test
    void throttledAndServerErrorsAreRetriedAndCounted() {
        server.script("/flaky", Step.status(429), Step.status(500), Step.ok("finally"));
        runner.run(context -> {
            assertThat(context.getBean(Catalog.class).item("/flaky")).isEqualTo("finally");
            assertThat(server.requests("/flaky")).hasSize(3);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(count(meters, "retry.calls", "name", "catalog", "outcome", "success_after_retry"))
                    .isEqualTo(1);
            assertThat(count(meters, "retry.attempts", "name", "catalog")).isEqualTo(2);
        });
    }

    @Test
    void aNotFoundIsNeverRetriedAndReachesTheCallerAsItIs() {
        server.script("/missing", Step.status(404));
        runner.run(context -> {
            assertThatThrownBy(() -> context.getBean(Catalog.class).item("/missing"))
                    .isInstanceOf(HttpClientErrorException.NotFound.class);
            assertThat(server.requests("/missing")).hasSize(1);
            assertThat(count(
                            context.getBean(MeterRegistry.class),
                            "retry.calls",
                            "name",
                            "catalog",
                            "outcome",
                            "failure"))
                    .isEqualTo(1);
        });
    }

    @Test
    void aDroppedConnectionIsRetried() {
        server.script("/dropped", Step.dropConnection(), Step.ok("reconnected"));
        runner.run(context -> {
            assertThat(context.getBean(Catalog.class).item("/dropped")).isEqualTo("reconnected");
            assertThat(server.requests("/dropped")).hasSize(2);
        });
    }

    @Test
    void aFailingServiceOpensTheBreakerWhoseRefusalsTheFallbackAnswersWithoutCallingIt() {
        server.script("/down", Step.status(500));
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            assertThat(catalog.guarded("/down")).isEqualTo("cached /down");
            assertThat(server.requests("/down"))
                    .as("four attempts, the last of which opened the breaker")
                    .hasSize(4);
            assertThat(catalog.guarded("/down")).isEqualTo("cached /down");
            assertThat(server.requests("/down")).as("refused without a request").hasSize(4);

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(count(meters, "circuitbreaker.transitions", "name", "catalog", "from", "CLOSED", "to", "OPEN"))
                    .isEqualTo(1);
            assertThat(count(meters, "circuitbreaker.rejected", "name", "catalog"))
                    .isEqualTo(1);
            assertThat(meters.get("circuitbreaker.calls")
                            .tags("name", "catalog", "outcome", "failure")
                            .functionTimer()
                            .count())
                    .isEqualTo(4.0);
            assertThat(count(meters, "fallback.calls", "exception", "InternalServerError"))
                    .isEqualTo(1);
            assertThat(count(meters, "fallback.calls", "exception", "CircuitOpenException"))
                    .isEqualTo(1);
        });
    }

    @Test
    void aRunOfNotFoundAnswersCountsAsSuccessesAndNeverOpensTheBreakerOfAHealthyService() {
        server.script("/gone", Step.status(404));
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            for (int i = 0; i < 8; i++) {
                assertThat(catalog.guarded("/gone")).isEqualTo("cached /gone");
            }
            assertThat(server.requests("/gone"))
                    .as("every call reached the service, none was retried")
                    .hasSize(8);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("circuitbreaker.calls")
                            .tags("name", "catalog", "outcome", "success")
                            .functionTimer()
                            .count())
                    .isEqualTo(8.0);
            assertThat(meters.find("circuitbreaker.rejected")
                            .tags("name", "catalog")
                            .counter()
                            .count())
                    .isZero();
        });
    }

    @Test
    void aStatusListedInRecordOnStatusCountsAsAFailure() {
        server.script("/gone-for-good", Step.status(404));
        runner.withPropertyValues("retry.circuit-breakers.catalog.record-on-status=404,503")
                .run(context -> {
                    Catalog catalog = context.getBean(Catalog.class);
                    for (int i = 0; i < 5; i++) {
                        assertThat(catalog.guarded("/gone-for-good")).isEqualTo("cached /gone-for-good");
                    }
                    assertThat(server.requests("/gone-for-good"))
                            .as("the fifth call was refused by the open breaker")
                            .hasSize(4);
                    assertThat(count(
                                    context.getBean(MeterRegistry.class), "circuitbreaker.rejected", "name", "catalog"))
                            .isEqualTo(1);
                });
    }

    @Test
    void aSlowAnswerIsTimedOutAndRetried() {
        // The first answer is held until the call is over, and the first deadline fires when the test
        // fires it, once the server holds that answer: "in time" can only come from a retry after the
        // timeout cut the first attempt. The YAML's 30 s is then only what the retry's own answer must
        // beat (the timeout reads the clock too); 2 s were not enough on a busy machine, which then
        // timed out the retry as well and sent a third request.
        Step tooLate = Step.heldUntilReleased("too late");
        server.script("/slow-then-fast", tooLate, Step.ok("in time"));
        HeldTimers timers = new HeldTimers();
        runner.withBean(PolicyTime.class, timers::policyTime)
                .withPropertyValues("retry.timeouts.catalog.duration=30s")
                .run(context -> {
                    Catalog catalog = context.getBean(Catalog.class);
                    ExecutorService caller = Executors.newSingleThreadExecutor();
                    try {
                        Future<String> answer = caller.submit(() -> catalog.timed("/slow-then-fast"));
                        HeldTimers.Timer firstDeadline = timers.awaitTimer(Duration.ofSeconds(30));
                        await("the first request reached the server")
                                .atMost(Duration.ofSeconds(30))
                                .until(() -> server.requests("/slow-then-fast").size() == 1);
                        firstDeadline.fire();
                        assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("in time");
                    } finally {
                        tooLate.release();
                        caller.shutdownNow();
                    }
                    assertThat(server.requests("/slow-then-fast")).hasSize(2);
                    assertThat(timers.delays())
                            .as("a deadline for each attempt")
                            .containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(30));
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(count(meters, "timeout.calls", "name", "catalog", "outcome", "timeout"))
                            .isEqualTo(1);
                    assertThat(count(meters, "timeout.calls", "name", "catalog", "outcome", "success"))
                            .isEqualTo(1);
                });
    }

    @Test
    void aBulkheadOfTwoLetsExactlyTwoCallsReachTheServerAndTheFallbackAnswersTheRest() {
        // The answers are held until the other four callers have been answered, so the two permits
        // are taken for the whole time however slowly the callers' threads start.
        Step held = Step.heldUntilReleased("done");
        server.script("/crowded", held);
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(6);
            try {
                List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    answers.add(callers.submit(() -> catalog.limited("/crowded")));
                }
                try {
                    await("four callers answered while two wait on the server")
                            .atMost(Duration.ofSeconds(20))
                            .until(() -> answers.stream()
                                            .filter(java.util.concurrent.Future::isDone)
                                            .count()
                                    == 4);
                } finally {
                    held.release();
                }
                List<String> results = new java.util.ArrayList<>();
                for (java.util.concurrent.Future<String> answer : answers) {
                    results.add(answer.get());
                }
                assertThat(results).filteredOn("done"::equals).hasSize(2);
                assertThat(results).filteredOn("busy: catalog"::equals).hasSize(4);
            } finally {
                callers.shutdownNow();
            }
            assertThat(server.requests("/crowded"))
                    .as("exactly two reached the server")
                    .hasSize(2);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(count(meters, "bulkhead.calls", "name", "catalog", "outcome", "permitted"))
                    .isEqualTo(2);
            assertThat(count(meters, "bulkhead.calls", "name", "catalog", "outcome", "rejected"))
                    .isEqualTo(4);
            assertThat(meters.get("bulkhead.concurrent.calls")
                            .tags("name", "catalog")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(count(meters, "fallback.calls", "exception", "BulkheadFullException"))
                    .isEqualTo(4);
        });
    }

    @Test
    void aSlowAnswerIsOvertakenByAHedgeThatCarriesTheCallersContextAndKey() {
        // The server holds whichever request comes first, so the hedge's timer fires only once the
        // primary's request is there: with a real 150 ms timer, a primary that a busy machine sent late
        // came second, got the quick answer and won, and the hedge was the one held.
        Step slow = Step.heldUntilReleased("slow");
        server.script("/search", slow, Step.ok("fast"));
        HeldTimers timers = new HeldTimers();
        runner.withBean(PolicyTime.class, timers::policyTime).run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            ExecutorService caller = Executors.newSingleThreadExecutor();
            String answer;
            try {
                Future<String> searched = caller.submit(() -> {
                    MDC.put("traceId", "trace-42");
                    try {
                        return catalog.search("/search"); // the first answer is held until this returns
                    } finally {
                        MDC.remove("traceId");
                    }
                });
                await("the primary's request reached the server")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> server.requests("/search").size() == 1);
                timers.awaitTimer(Duration.ofMillis(150)).fire();
                answer = searched.get(30, TimeUnit.SECONDS);
            } finally {
                slow.release();
                caller.shutdownNow();
            }
            assertThat(answer)
                    .as("the hedge's answer, the first one still held")
                    .isEqualTo("fast");
            List<ScriptedHttpServer.Request> requests = server.requests("/search");
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1).idempotencyKey())
                    .isEqualTo(requests.get(0).idempotencyKey());
            assertThat(org.springframework.test.util.AopTestUtils.<Catalog>getUltimateTargetObject(catalog)
                            .traceIdsSeen)
                    .containsExactly("trace-42", "trace-42");
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(count(meters, "hedge.calls", "name", "search", "outcome", "hedge"))
                    .isEqualTo(1);
            assertThat(count(meters, "hedge.attempts", "name", "search")).isEqualTo(1);
        });
    }
}
