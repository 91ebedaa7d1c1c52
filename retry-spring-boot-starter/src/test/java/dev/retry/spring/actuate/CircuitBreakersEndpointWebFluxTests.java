package dev.retry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.core.CircuitState;
import dev.retry.spring.registry.RetryRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.DispatcherHandler;

/**
 * {@code POST /actuator/circuitbreakers/{name}} with a body that is not JSON, in a WebFlux
 * application on a real Netty server: the same 400 as under Spring MVC, listing the states, not the
 * 415 that WebFlux's actuator mapping raises; an unknown breaker a 404; and the application's own
 * JSON-only mappings still refuse another type with their 415.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=reactive",
            "management.endpoints.web.exposure.include=circuitbreakers",
            "retry.circuit-breakers.inventory.open-duration=30s"
        })
class CircuitBreakersEndpointWebFluxTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Inventory inventory() {
            return new Inventory();
        }

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    @RestController
    static class Orders {

        @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
        String order(@RequestBody String order) {
            return order;
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

    @Autowired
    ApplicationContext context;

    private RestClient http;

    @BeforeEach
    void aForcedOpenBreaker() {
        http = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
        registry.circuitBreakers().get("inventory").transitionTo(CircuitState.FORCED_OPEN);
    }

    @AfterEach
    void closed() {
        registry.circuitBreakers().get("inventory").reset();
    }

    @Test
    void theApplicationRunsOnWebFlux() {
        assertThat(context.getBeanNamesForType(DispatcherHandler.class)).isNotEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "text/plain | OPEN",
                "application/x-www-form-urlencoded | state=OPEN",
                "application/xml | <state>OPEN</state>"
            })
    void aBodyThatIsNotJsonIsA400ThatListsTheStatesNotA415(String type, String body) {
        ResponseEntity<String> refused = http.post()
                .uri("/actuator/circuitbreakers/inventory")
                .contentType(MediaType.parseMediaType(type))
                .body(body)
                .retrieve()
                .toEntity(String.class);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON))
                .isTrue();
        assertThat(refused.getBody())
                .contains("Cannot move circuit breaker 'inventory': the body is " + type + ", not JSON")
                .contains("\"states\":[\"CLOSED\",\"OPEN\",\"HALF_OPEN\",\"FORCED_OPEN\",\"DISABLED\"]");
        assertThat(registry.circuitBreakers().get("inventory").state())
                .as("nothing changed")
                .isEqualTo(CircuitState.FORCED_OPEN);
    }

    @Test
    void aPostWithoutAnyBodyOrContentTypeIsA400ThatListsTheStates() {
        ResponseEntity<String> refused = http.post()
                .uri("/actuator/circuitbreakers/inventory")
                .retrieve()
                .toEntity(String.class);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody()).contains("the request has no JSON body").contains("\"states\"");
        assertThat(registry.circuitBreakers().get("inventory").state()).isEqualTo(CircuitState.FORCED_OPEN);
    }

    @Test
    void aJsonBodyStillMovesTheBreaker() {
        ResponseEntity<String> moved = http.post()
                .uri("/actuator/circuitbreakers/inventory")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"state\":\"open\"}")
                .retrieve()
                .toEntity(String.class);

        assertThat(moved.getStatusCode().value()).isEqualTo(200);
        assertThat(registry.circuitBreakers().get("inventory").state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aBodyThatIsNotJsonForAnUnknownBreakerIsA404AndNothingIsCreated() {
        ResponseEntity<String> unknown = http.post()
                .uri("/actuator/circuitbreakers/nope")
                .contentType(MediaType.TEXT_PLAIN)
                .body("OPEN")
                .retrieve()
                .toEntity(String.class);

        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(registry.circuitBreakers()).doesNotContainKey("nope");
    }

    @Test
    void theApplicationsOwnJsonOnlyMappingsStillAnswerAnotherTypeWith415() {
        ResponseEntity<String> own = http.post()
                .uri("/orders")
                .contentType(MediaType.TEXT_PLAIN)
                .body("one book")
                .retrieve()
                .toEntity(String.class);

        assertThat(own.getStatusCode().value()).isEqualTo(415);
    }
}
