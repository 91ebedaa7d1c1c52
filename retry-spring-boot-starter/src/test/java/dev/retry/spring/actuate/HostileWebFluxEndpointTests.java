package dev.retry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.core.CircuitState;
import dev.retry.spring.registry.RetryRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

/**
 * A JSON body the actuator cannot read, sent to {@code POST /actuator/circuitbreakers/{name}} of a
 * WebFlux application on a real Netty server: the endpoint's 400 that lists the states, as under
 * Spring MVC ({@link HostileEndpointTests}), not WebFlux's bare one; nothing moves.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=reactive",
            "management.endpoints.web.exposure.include=circuitbreakers",
            "retry.circuit-breakers.inventory.open-duration=30s"
        })
class HostileWebFluxEndpointTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Inventory inventory() {
            return new Inventory();
        }
    }

    static class Inventory {

        @CircuitBreaker("inventory")
        public String reserve() {
            return "reserved";
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    RetryRegistry registry;

    @BeforeEach
    void aForcedOpenBreaker() {
        registry.circuitBreakers().get("inventory").transitionTo(CircuitState.FORCED_OPEN);
    }

    @AfterEach
    void closed() {
        registry.circuitBreakers().get("inventory").reset();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"state\":[\"OPEN\"]}", "{\"state\":{\"name\":\"OPEN\"}}", "{\"state\":", "[\"OPEN\"]"})
    void aJsonBodyTheActuatorCannotReadIsTheEndpoints400(String body) {
        ResponseEntity<String> refused = RestClient.builder()
                .baseUrl("http://localhost:" + port + "/actuator/circuitbreakers")
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build()
                .post()
                .uri("/inventory")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .toEntity(String.class);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody())
                .contains("Cannot move circuit breaker 'inventory': the body is not a JSON object whose state is"
                        + " one name written as a string. Send Content-Type")
                .contains("CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED");
        assertThat(registry.circuitBreakers().get("inventory").state()).isEqualTo(CircuitState.FORCED_OPEN);
    }
}
