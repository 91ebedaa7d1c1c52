package dev.retry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/** The endpoints as an operator meets them: JSON over HTTP from a running application. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=circuitbreakers,retryconfig,health",
            "management.endpoint.health.show-details=always",
            "retry.circuit-breakers.inventory.minimum-calls=5",
            "retry.policies.inventory.max-attempts=4"
        })
class ActuatorHttpTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    static class Orders {

        @CircuitBreaker("inventory")
        public String reserve() {
            return "reserved";
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Orders orders;

    private RestClient http() {
        return RestClient.builder()
                .baseUrl("http://localhost:" + port + "/actuator")
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
    }

    @Test
    void everyBreakerIsListedWithTheContractsFields() {
        String json = http().get().uri("/circuitbreakers").retrieve().body(String.class);
        // notPermittedCalls is whatever the other tests left; every field is there, in the contract's order.
        assertThat(json)
                .startsWith("{\"circuitBreakers\":{")
                .containsPattern("\"inventory\":\\{\"state\":\"[A-Z_]+\","
                        + "\"failureRate\":-1.0,\"slowCallRate\":-1.0,\"bufferedCalls\":\\d+,\"failedCalls\":\\d+,"
                        + "\"slowCalls\":\\d+,\"notPermittedCalls\":\\d+\\}")
                .contains("\"default\":{");
    }

    @Test
    void aBreakerCanBeReadAndMovedAndUnknownNamesAndStatesAreRefused() {
        assertThat(http().get().uri("/circuitbreakers/inventory").retrieve().body(String.class))
                .startsWith("{\"state\":\"CLOSED\"");
        assertThat(http().get()
                        .uri("/circuitbreakers/nope")
                        .retrieve()
                        .toBodilessEntity()
                        .getStatusCode()
                        .value())
                .isEqualTo(404);

        ResponseEntity<String> moved = http().post()
                .uri("/circuitbreakers/inventory")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"state\":\"FORCED_OPEN\"}")
                .retrieve()
                .toEntity(String.class);
        assertThat(moved.getStatusCode().value()).isEqualTo(200);
        assertThat(moved.getBody()).contains("\"state\":\"FORCED_OPEN\"");
        try {
            assertThat(catchCall()).isEqualTo("refused");

            ResponseEntity<String> bogus = http().post()
                    .uri("/circuitbreakers/inventory")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"state\":\"AJAR\"}")
                    .retrieve()
                    .toEntity(String.class);
            assertThat(bogus.getStatusCode().value()).isEqualTo(400);
            assertThat(http().get().uri("/circuitbreakers/inventory").retrieve().body(String.class))
                    .as("nothing changed")
                    .contains("FORCED_OPEN");
            assertThat(http().post()
                            .uri("/circuitbreakers/nope")
                            .contentType(MediaType.APPLICATION_JSON)
                            .body("{\"state\":\"OPEN\"}")
                            .retrieve()
                            .toBodilessEntity()
                            .getStatusCode()
                            .value())
                    .isEqualTo(404);
            assertThat(http().get().uri("/circuitbreakers").retrieve().body(String.class))
                    .doesNotContain("nope");
        } finally {
            http().post()
                    .uri("/circuitbreakers/inventory")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body("{\"state\":\"CLOSED\"}")
                    .retrieve()
                    .toBodilessEntity();
        }
    }

    private String catchCall() {
        try {
            return orders.reserve();
        } catch (dev.retry.core.CircuitOpenException refused) {
            return "refused";
        }
    }

    @Test
    void theEffectiveConfigurationShowsInheritedValues() {
        String json = http().get().uri("/retryconfig").retrieve().body(String.class);
        assertThat(json).contains("\"inventory\":{\"max-attempts\":4,\"backoff\":\"exponential\",\"delay\":\"100ms\"");
        assertThat(json).contains("\"circuitBreakers\":{");
    }

    @Test
    void healthShowsEveryBreakerAndStaysUp() {
        String json = http().get().uri("/health").retrieve().body(String.class);
        assertThat(json)
                .containsPattern("\"circuitBreakers\":\\{\"details\":\\{.*\"inventory\":\\{\"state\":\"CLOSED\"")
                .containsPattern("\"notPermittedCalls\":\\d+\\}\\},\"status\":\"UP\"");
    }
}
