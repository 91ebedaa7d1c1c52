package dev.retry.spring;

import static dev.retry.spring.ContractChecks.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.Scheduler;
import dev.retry.core.Sleeper;
import dev.retry.spring.registry.PolicyTime;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * The {@code circuitbreakers} actuator endpoint over real HTTP.
 * Part of the contract checked from outside; see {@link ContractChecks}.
 */
class EndpointContractTests {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ActuatorApplication {

        @Bean
        Guarded guarded() {
            return new Guarded();
        }
    }

    static class Guarded {

        final AtomicInteger calls = new AtomicInteger();

        @CircuitBreaker("inventory")
        public String call(boolean fail) throws IOException {
            calls.incrementAndGet();
            if (fail) {
                throw new IOException("down");
            }
            return "ok";
        }

        @CircuitBreaker
        public String own(String sku, int quantity) {
            return "own";
        }
    }

    @Test
    void theEndpointShowsAFreshBreakerExactlyAndMovesItToEachOfTheFiveStates() throws Exception {
        // The breaker's clock moves only when the test moves it: with the real one, a core stalled past
        // the 500 ms open duration between moving the breaker to OPEN and the call it should refuse let
        // that call through as a half-open trial.
        AtomicLong now = new AtomicLong();
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(ActuatorApplication.class)
                .web(WebApplicationType.SERVLET)
                .logStartupInfo(false)
                .initializers(context -> context.getBeanFactory()
                        .registerSingleton(
                                "policyTime", new PolicyTime(now::get, Sleeper.system(), Scheduler.system())))
                .properties(
                        "server.port=0",
                        "management.endpoints.web.exposure.include=circuitbreakers",
                        "retry.circuit-breakers.inventory.minimum-calls=1",
                        "retry.circuit-breakers.inventory.open-duration=500ms",
                        "retry.circuit-breakers.inventory.half-open-calls=1")
                .run()) {
            int port = application.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            RestClient http = RestClient.builder()
                    .baseUrl("http://localhost:" + port + "/actuator/circuitbreakers")
                    .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                    .build();
            Guarded guarded = application.getBean(Guarded.class);
            AtomicInteger calls = target(guarded).calls;

            String fresh = "{\"state\":\"CLOSED\",\"failureRate\":-1.0,\"slowCallRate\":-1.0,\"bufferedCalls\":0,"
                    + "\"failedCalls\":0,\"slowCalls\":0,\"notPermittedCalls\":0}";
            assertThat(http.get().uri("/inventory").retrieve().body(String.class))
                    .isEqualTo(fresh);
            assertThat(http.get().retrieve().body(String.class))
                    .startsWith("{\"circuitBreakers\":{")
                    .contains("\"inventory\":" + fresh)
                    .contains("\"default\":" + fresh);
            assertThat(http.get()
                            .uri("/nope")
                            .retrieve()
                            .toBodilessEntity()
                            .getStatusCode()
                            .value())
                    .isEqualTo(404);
            String own = Guarded.class.getName() + ".own(String, int)";
            assertThat(http.get().uri("/{name}", own).retrieve().body(String.class))
                    .as("a per-method breaker by name")
                    .isEqualTo(fresh);

            ResponseEntity<String> forced = move(http, "FORCED_OPEN");
            assertThat(forced.getStatusCode().value()).isEqualTo(200);
            assertThat(forced.getBody()).contains("\"state\":\"FORCED_OPEN\"");
            now.addAndGet(Duration.ofMillis(600).toNanos());
            assertThatThrownBy(() -> guarded.call(false))
                    .as("forced open stays open past open-duration")
                    .isInstanceOf(CircuitOpenException.class)
                    .hasMessageContaining("inventory");
            for (String bad : List.of("{\"state\":\"opened\"}", "{\"state\":\"AJAR\"}", "{}")) {
                ResponseEntity<String> refused = http.post()
                        .uri("/inventory")
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(bad)
                        .retrieve()
                        .toEntity(String.class);
                assertThat(refused.getStatusCode().value()).as(bad).isEqualTo(400);
            }
            assertThat(http.get().uri("/inventory").retrieve().body(String.class))
                    .as("nothing changed")
                    .contains("\"state\":\"FORCED_OPEN\"");

            assertThat(move(http, "DISABLED").getBody()).contains("\"state\":\"DISABLED\"");
            calls.set(0);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> guarded.call(true)).isInstanceOf(IOException.class);
            }
            assertThat(calls).as("disabled permits every call").hasValue(3);
            assertThat(http.get().uri("/inventory").retrieve().body(String.class))
                    .as("disabled records nothing")
                    .contains("\"state\":\"DISABLED\"")
                    .contains("\"bufferedCalls\":0");

            assertThat(move(http, "OPEN").getBody()).contains("\"state\":\"OPEN\"");
            assertThatThrownBy(() -> guarded.call(false)).isInstanceOf(CircuitOpenException.class);

            assertThat(move(http, "HALF_OPEN").getBody()).contains("\"state\":\"HALF_OPEN\"");
            assertThat(guarded.call(false)).as("the trial call").isEqualTo("ok");
            assertThat(http.get().uri("/inventory").retrieve().body(String.class))
                    .contains("\"state\":\"CLOSED\"");

            assertThat(move(http, "CLOSED").getBody()).contains("\"state\":\"CLOSED\"");
            assertThat(http.post()
                            .uri("/nope")
                            .contentType(MediaType.APPLICATION_JSON)
                            .body("{\"state\":\"OPEN\"}")
                            .retrieve()
                            .toBodilessEntity()
                            .getStatusCode()
                            .value())
                    .isEqualTo(404);
            assertThat(http.get().retrieve().body(String.class)).doesNotContain("nope");
        }
    }

    private static ResponseEntity<String> move(RestClient http, String state) {
        return http.post()
                .uri("/inventory")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"state\":\"" + state + "\"}")
                .retrieve()
                .toEntity(String.class);
    }
}
