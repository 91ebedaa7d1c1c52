package dev.retry.spring.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryHttpClientsAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryMetricsAutoConfiguration;
import dev.retry.spring.e2e.ScriptedHttpServer.Step;
import dev.retry.spring.http.RetryWebClientFilters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** A {@code WebClient} whose every exchange runs through the pipeline named {@code inventory}, against a real server. */
class RetryWebClientFiltersEndToEndTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static ScriptedHttpServer server;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryMetricsAutoConfiguration.class,
                    RetryHttpClientsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues(
                    "retry.policies.inventory.max-attempts=3",
                    "retry.policies.inventory.delay=10ms",
                    "retry.policies.inventory.jitter=none");

    @BeforeAll
    static void startServer() throws Exception {
        server = new ScriptedHttpServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static WebClient client(RetryWebClientFilters filters) {
        return WebClient.builder()
                .clientConnector(new JdkClientHttpConnector())
                .baseUrl(server.baseUrl())
                .apply(filters.webClient("inventory"))
                .build();
    }

    @Test
    void a503WithRetryAfterIsRetriedAfterTheDelayTheServerAskedFor() {
        server.script("/w/503", Step.retryAfter(503, "1"), Step.ok("7"));
        runner.run(context -> {
            String stock = client(context.getBean(RetryWebClientFilters.class))
                    .get()
                    .uri("/w/503")
                    .retrieve()
                    .bodyToMono(String.class)
                    .block(PATIENCE);
            assertThat(stock).isEqualTo("7");
            var requests = server.requests("/w/503");
            assertThat(requests).hasSize(2);
            assertThat(Duration.ofNanos(
                            requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        });
    }

    @Test
    void whenEveryAttemptFailsTheCallerGetsTheLastAnswerAsWebClientsOwnException() {
        server.script("/w/down", Step.status(503));
        runner.run(context -> {
            assertThatThrownBy(() -> client(context.getBean(RetryWebClientFilters.class))
                            .get()
                            .uri("/w/down")
                            .retrieve()
                            .bodyToMono(String.class)
                            .block(PATIENCE))
                    .isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
            assertThat(server.requests("/w/down")).hasSize(3);
        });
    }

    @Test
    void aPostWithoutAnIdempotencyKeyIsSentOnce() {
        server.script("/w/order", Step.status(503));
        runner.run(context -> {
            assertThatThrownBy(() -> client(context.getBean(RetryWebClientFilters.class))
                            .post()
                            .uri("/w/order")
                            .retrieve()
                            .bodyToMono(String.class)
                            .block(PATIENCE))
                    .isInstanceOf(WebClientResponseException.class);
            assertThat(server.requests("/w/order")).hasSize(1);
        });
    }

    @Test
    void nothingIsSentBeforeSubscriptionAndEachSubscriptionIsOneCall() {
        server.script("/w/lazy", Step.ok("once"));
        runner.run(context -> {
            var answer = client(context.getBean(RetryWebClientFilters.class))
                    .get()
                    .uri("/w/lazy")
                    .retrieve()
                    .bodyToMono(String.class);
            assertThat(server.requests("/w/lazy")).isEmpty();
            assertThat(answer.block(PATIENCE)).isEqualTo("once");
            assertThat(answer.block(PATIENCE)).isEqualTo("once");
            assertThat(server.requests("/w/lazy")).hasSize(2);
        });
    }
}
