package dev.retry.spring.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.retry.core.CircuitOpenException;
import dev.retry.core.CircuitState;
import dev.retry.spring.HeldTimers;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryHttpClientsAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryMetricsAutoConfiguration;
import dev.retry.spring.e2e.ScriptedHttpServer.Step;
import dev.retry.spring.http.HttpPipelineOptions;
import dev.retry.spring.http.RetryHttpClients;
import dev.retry.spring.registry.PolicyTime;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * A {@code RestClient} whose every request runs through the pipeline named {@code inventory}, with no
 * annotation anywhere, against a real HTTP server that answers as each test scripts it.
 */
class RetryHttpClientsEndToEndTests {

    /**
     * Far beyond any answer here but the held ones: with 2 s, a core stalled that long timed out a
     * quick answer too and sent one request more than the test counts.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static ScriptedHttpServer server;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryMetricsAutoConfiguration.class,
                    RetryHttpClientsAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues(
                    "retry.policies.inventory.max-attempts=3",
                    "retry.policies.inventory.delay=10ms",
                    "retry.policies.inventory.jitter=none",
                    "retry.circuit-breakers.inventory.window-size=6",
                    "retry.circuit-breakers.inventory.minimum-calls=6",
                    "retry.circuit-breakers.inventory.open-duration=1h",
                    "retry.timeouts.inventory.duration=" + TIMEOUT.toSeconds() + "s");

    @BeforeAll
    static void startServer() throws Exception {
        server = new ScriptedHttpServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static RestClient client(RetryHttpClients clients, HttpPipelineOptions options) {
        return RestClient.builder()
                .baseUrl(server.baseUrl())
                .apply(clients.restClient("inventory", options))
                .build();
    }

    private static RestClient client(RetryHttpClients clients) {
        return client(clients, HttpPipelineOptions.defaults());
    }

    @Test
    void aGetAnswered503WithRetryAfterIsRetriedAfterTheDelayTheServerAskedFor() {
        server.script("/a/503", Step.retryAfter(503, "1"), Step.ok("7"));
        runner.run(context -> {
            String stock = client(context.getBean(RetryHttpClients.class))
                    .get()
                    .uri("/a/503")
                    .retrieve()
                    .body(String.class);
            assertThat(stock).isEqualTo("7");
            List<ScriptedHttpServer.Request> requests = server.requests("/a/503");
            assertThat(requests).hasSize(2);
            assertThat(Duration.ofNanos(
                            requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos()))
                    .as("Retry-After: 1 over a 10 ms backoff")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(count(context.getBean(MeterRegistry.class), "retry.calls", "outcome", "success_after_retry"))
                    .isEqualTo(1.0);
        });
    }

    @Test
    void a429IsRetriedAndAnotherClientErrorIsNotAndReachesTheCallerAsSpringWouldThrowIt() {
        server.script("/b/429", Step.retryAfter(429, "0"), Step.ok("ok"));
        server.script("/b/404", Step.status(404));
        runner.run(context -> {
            RestClient client = client(context.getBean(RetryHttpClients.class));
            assertThat(client.get().uri("/b/429").retrieve().body(String.class)).isEqualTo("ok");
            assertThat(server.requests("/b/429")).hasSize(2);

            assertThatThrownBy(() -> client.get().uri("/b/404").retrieve().body(String.class))
                    .isInstanceOf(HttpClientErrorException.NotFound.class);
            assertThat(server.requests("/b/404")).as("a 404 is sent once").hasSize(1);
            ResponseEntity<String> entity = client.get()
                    .uri("/b/404")
                    .retrieve()
                    .onStatus(status -> true, (request, response) -> {})
                    .toEntity(String.class);
            assertThat(entity.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(context.getBean(RetryRegistry.class)
                            .circuitBreakers()
                            .get("inventory")
                            .state())
                    .as("404s are the service answering")
                    .isEqualTo(CircuitState.CLOSED);
        });
    }

    @Test
    void whenEveryAttemptFailsTheCallerGetsTheLastAnswerAsSpringsOwnException() {
        server.script("/c/down", Step.status(503));
        runner.run(context -> {
            RestClient client = client(context.getBean(RetryHttpClients.class));
            assertThatThrownBy(() -> client.get().uri("/c/down").retrieve().body(String.class))
                    .isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
            assertThat(server.requests("/c/down")).hasSize(3);
            assertThatThrownBy(() -> client.get().uri("/c/down").retrieve().body(String.class))
                    .isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
            assertThat(context.getBean(RetryRegistry.class)
                            .circuitBreakers()
                            .get("inventory")
                            .state())
                    .as("six failed attempts of two calls fill the window of six")
                    .isEqualTo(CircuitState.OPEN);
            assertThatThrownBy(() -> client.get().uri("/c/down").retrieve().body(String.class))
                    .isInstanceOf(CircuitOpenException.class);
            assertThat(server.requests("/c/down"))
                    .as("the open breaker sends nothing")
                    .hasSize(6);
        });
    }

    @Test
    void aPostIsSentOnceUnlessItCarriesAnIdempotencyKeyOrTheClientAllowsIt() {
        server.script("/d/order", Step.status(503));
        runner.run(context -> {
            RetryHttpClients clients = context.getBean(RetryHttpClients.class);
            RestClient safe = client(clients);
            assertThatThrownBy(() -> safe.post().uri("/d/order").retrieve().body(String.class))
                    .isInstanceOf(HttpServerErrorException.class);
            assertThat(server.requests("/d/order"))
                    .as("a plain POST is never sent twice")
                    .hasSize(1);

            assertThatThrownBy(() -> safe.post()
                            .uri("/d/order")
                            .header("Idempotency-Key", "order-42")
                            .retrieve()
                            .body(String.class))
                    .isInstanceOf(HttpServerErrorException.class);
            assertThat(server.requests("/d/order"))
                    .as("with an Idempotency-Key it is retried, the key sent each time")
                    .hasSize(4)
                    .extracting(ScriptedHttpServer.Request::idempotencyKey)
                    .containsExactly(null, "order-42", "order-42", "order-42");
        });
    }

    @Test
    void aDroppedConnectionIsRetriedLikeAnyIoFailure() {
        server.script("/e/reset", Step.dropConnection(), Step.dropConnection(), Step.ok("back"));
        runner.run(context -> {
            assertThat(client(context.getBean(RetryHttpClients.class))
                            .get()
                            .uri("/e/reset")
                            .retrieve()
                            .body(String.class))
                    .isEqualTo("back");
            assertThat(server.requests("/e/reset")).hasSize(3);
        });
    }

    @Test
    void aSlowAnswerIsCutOffByTheTimeoutAndRetried() {
        // The first answer is held until the call is over, and the first deadline fires when the test
        // fires it, once the server holds that answer: "fast" can only come from the retry after the
        // timeout cut the first attempt, however slowly a busy machine runs either of them.
        Step late = Step.heldUntilReleased("late");
        server.script("/f/slow", late, Step.ok("fast"));
        HeldTimers timers = new HeldTimers();
        runner.withBean(PolicyTime.class, timers::policyTime).run(context -> {
            RestClient client = client(context.getBean(RetryHttpClients.class));
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<String> answer = caller.submit(
                        () -> client.get().uri("/f/slow").retrieve().body(String.class));
                HeldTimers.Timer firstDeadline = timers.awaitTimer(TIMEOUT);
                await("the first request reached the server")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> server.requests("/f/slow").size() == 1);
                firstDeadline.fire();
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("fast");
            } finally {
                late.release();
                caller.shutdownNow();
            }
            assertThat(server.requests("/f/slow")).hasSize(2);
            assertThat(count(context.getBean(MeterRegistry.class), "timeout.calls", "outcome", "timeout"))
                    .isEqualTo(1.0);
        });
    }

    @Test
    void aSlowAnswerIsOvertakenByAHedgeSentAfterTheHedgeDelay() {
        // The server holds whichever request comes first, so the hedge's timer fires only once the
        // primary's request is there: with a real 100 ms timer, a primary that a busy machine sent late
        // came second, got the quick answer and won.
        Step slow = Step.heldUntilReleased("slow");
        server.script("/i/tail", slow, Step.ok("hedged"));
        HeldTimers timers = new HeldTimers();
        runner.withBean(PolicyTime.class, timers::policyTime)
                .withPropertyValues("retry.hedges.inventory.delay=100ms")
                .run(context -> {
                    RestClient client = client(context.getBean(RetryHttpClients.class));
                    ExecutorService caller = Executors.newSingleThreadExecutor();
                    try {
                        Future<String> answer = caller.submit(
                                () -> client.get().uri("/i/tail").retrieve().body(String.class));
                        await("the primary's request reached the server")
                                .atMost(Duration.ofSeconds(30))
                                .until(() -> server.requests("/i/tail").size() == 1);
                        timers.awaitTimer(Duration.ofMillis(100)).fire();
                        assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("hedged");
                    } finally {
                        slow.release();
                        caller.shutdownNow();
                    }
                    assertThat(server.requests("/i/tail")).hasSize(2);
                    assertThat(count(context.getBean(MeterRegistry.class), "hedge.calls", "outcome", "hedge"))
                            .isEqualTo(1.0);
                });
    }

    @Test
    void withABreakerPerHostOneFailingHostDoesNotOpenTheBreakerOfAnother() {
        server.script("/g/down", Step.status(503));
        server.script("/g/up", Step.ok("up"));
        runner.run(context -> {
            RetryHttpClients clients = context.getBean(RetryHttpClients.class);
            HttpPipelineOptions perHost = HttpPipelineOptions.defaults().withBreakerPerHost();
            RestClient viaLoopbackAddress = client(clients, perHost);
            RestClient viaLocalhost = RestClient.builder()
                    .baseUrl(server.baseUrl().replace("127.0.0.1", "localhost"))
                    .apply(clients.restClient("inventory", perHost))
                    .build();
            for (int call = 0; call < 2; call++) {
                assertThatThrownBy(() -> viaLoopbackAddress
                                .get()
                                .uri("/g/down")
                                .retrieve()
                                .body(String.class))
                        .isInstanceOf(HttpServerErrorException.class);
            }
            RetryRegistry registry = context.getBean(RetryRegistry.class);
            assertThat(registry.circuitBreakers().get("inventory@127.0.0.1").state())
                    .isEqualTo(CircuitState.OPEN);
            assertThat(viaLocalhost.get().uri("/g/up").retrieve().body(String.class))
                    .isEqualTo("up");
            assertThat(registry.circuitBreakers()
                            .get("inventory@localhost")
                            .config()
                            .windowSize())
                    .as("configured as retry.circuit-breakers.inventory")
                    .isEqualTo(6);
        });
    }

    @Test
    void aNameThatNoSectionConfiguresIsRefusedWithTheKeysThatWouldConfigureIt() {
        runner.run(context -> assertThatThrownBy(
                        () -> context.getBean(RetryHttpClients.class).restClient("payments"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'payments'")
                .hasMessageContaining("retry.policies.payments"));
    }

    @Test
    void anIoFailureOfEveryAttemptReachesTheCallerAsRestClientWrapsIt() {
        server.script("/h/gone", Step.dropConnection());
        runner.run(context -> assertThatThrownBy(() -> client(context.getBean(RetryHttpClients.class))
                        .get()
                        .uri("/h/gone")
                        .retrieve()
                        .body(String.class))
                .isInstanceOf(ResourceAccessException.class));
    }

    private static double count(MeterRegistry meters, String name, String... tags) {
        return meters.get(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
