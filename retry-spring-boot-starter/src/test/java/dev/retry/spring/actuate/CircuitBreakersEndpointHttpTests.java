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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * {@code POST /actuator/circuitbreakers/{name}} as a new user meets it over HTTP: the body left out,
 * empty, not JSON, without a state, with a state that does not exist or written in another case. Every bad
 * request is a 400 whose message lists the states and changes nothing; a state is read as {@code
 * application.yml} reads one.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=circuitbreakers",
            "retry.circuit-breakers.inventory.open-duration=30s"
        })
class CircuitBreakersEndpointHttpTests {

    private static final String EVERY_STATE = "CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED";

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

    /** An application endpoint of its own that takes JSON only, whose 415 is none of retry's business. */
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

    private RestClient http;

    @BeforeEach
    void aForcedOpenBreaker() {
        http = RestClient.builder()
                .baseUrl("http://localhost:" + port + "/actuator/circuitbreakers")
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
        // Not the state a breaker starts in, so that "nothing changed" cannot pass by accident.
        inventoryBreaker().transitionTo(CircuitState.FORCED_OPEN);
    }

    @AfterEach
    void closed() {
        inventoryBreaker().reset();
    }

    private dev.retry.core.CircuitBreakerPolicy inventoryBreaker() {
        return registry.circuitBreakers().get("inventory");
    }

    @Test
    void aPostWithoutAnyBodyOrContentTypeIsA400ThatListsTheStates() {
        ResponseEntity<String> refused =
                http.post().uri("/inventory").retrieve().toEntity(String.class);

        assertRefused(refused, "the request has no JSON body");
    }

    @Test
    void aJsonPostWithAnEmptyBodyIsA400ThatListsTheStates() {
        ResponseEntity<String> refused = http.post()
                .uri("/inventory")
                .contentType(MediaType.APPLICATION_JSON)
                .retrieve()
                .toEntity(String.class);

        assertRefused(refused, "the body names no state");
    }

    @Test
    void malformedJsonIsA400AndChangesNothing() {
        // Refused by Spring MVC while it reads the body, before the endpoint: its own message, not the endpoint's.
        ResponseEntity<String> refused = post("{\"state\":");

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(inventoryBreaker().state()).as("nothing changed").isEqualTo(CircuitState.FORCED_OPEN);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"{}", "{\"state\":null}", "{\"state\":\"\"}", "{\"state\":\"  \"}", "{\"status\":\"OPEN\"}"})
    void aBodyWithoutAStateIsA400ThatListsTheStatesNotAnUnknownStateNull(String body) {
        ResponseEntity<String> refused = post(body);

        assertRefused(refused, "the body names no state");
        assertThat(refused.getBody()).doesNotContain("'null'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AJAR", "opened", "half open", "CLOSED!"})
    void anUnknownStateIsA400ThatNamesItAndListsTheStates(String state) {
        ResponseEntity<String> refused = post("{\"state\":\"" + state + "\"}");

        assertRefused(refused, "unknown circuit breaker state '" + state + "'");
    }

    @ParameterizedTest
    @CsvSource({
        "open, OPEN",
        "Closed, CLOSED",
        "half-open, HALF_OPEN",
        "Half_Open, HALF_OPEN",
        "forced-open, FORCED_OPEN",
        "' disabled ', DISABLED",
        "HALF_OPEN, HALF_OPEN"
    })
    void aStateIsReadAsTheYamlReadsOneInAnyCaseWithDashesOrUnderscores(String written, CircuitState meant) {
        inventoryBreaker().transitionTo(meant == CircuitState.DISABLED ? CircuitState.CLOSED : CircuitState.DISABLED);

        ResponseEntity<String> moved = post("{\"state\":\"" + written + "\"}");

        assertThat(moved.getStatusCode().value()).isEqualTo(200);
        assertThat(moved.getBody()).startsWith("{\"state\":\"" + meant.name() + "\"");
        assertThat(inventoryBreaker().state()).isEqualTo(meant);
    }

    @Test
    void anUnknownBreakerIsA404WithOrWithoutABodyAndNothingIsCreated() {
        assertThat(http.post()
                        .uri("/nope")
                        .retrieve()
                        .toBodilessEntity()
                        .getStatusCode()
                        .value())
                .isEqualTo(404);
        assertThat(post("/nope", "{}").getStatusCode().value()).isEqualTo(404);
        assertThat(post("/nope", "{\"state\":\"open\"}").getStatusCode().value())
                .isEqualTo(404);
        assertThat(registry.circuitBreakers()).doesNotContainKey("nope");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "text/plain | OPEN",
                "text/plain;charset=UTF-8 | {\"state\":\"OPEN\"}",
                "application/x-www-form-urlencoded | state=OPEN",
                "application/xml | <state>OPEN</state>",
                "application/octet-stream | OPEN"
            })
    void aBodyThatIsNotJsonIsA400ThatListsTheStatesNotA415(String type, String body) {
        ResponseEntity<String> refused = http.post()
                .uri("/inventory")
                .contentType(MediaType.parseMediaType(type))
                .body(body)
                .retrieve()
                .toEntity(String.class);

        assertRefused(refused, "the body is " + type + ", not JSON");
        assertThat(refused.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON))
                .isTrue();
    }

    @Test
    void aContentTypeThatIsNotJsonWithoutABodyIsA400Too() {
        ResponseEntity<String> refused = http.post()
                .uri("/inventory")
                .contentType(MediaType.TEXT_PLAIN)
                .retrieve()
                .toEntity(String.class);

        assertRefused(refused, "the body is text/plain, not JSON");
    }

    @Test
    void aBodyThatIsNotJsonForAnUnknownBreakerIsA404AndNothingIsCreated() {
        ResponseEntity<String> unknown = http.post()
                .uri("/nope")
                .contentType(MediaType.TEXT_PLAIN)
                .body("OPEN")
                .retrieve()
                .toEntity(String.class);

        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(registry.circuitBreakers()).doesNotContainKey("nope");
    }

    @Test
    void theApplicationsOwnJsonOnlyMappingsStillAnswerAnotherTypeWith415() {
        ResponseEntity<String> own = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build()
                .post()
                .uri("/orders")
                .contentType(MediaType.TEXT_PLAIN)
                .body("one")
                .retrieve()
                .toEntity(String.class);

        assertThat(own.getStatusCode().value()).isEqualTo(415);
    }

    private ResponseEntity<String> post(String body) {
        return post("/inventory", body);
    }

    private ResponseEntity<String> post(String path, String body) {
        return http.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .toEntity(String.class);
    }

    private void assertRefused(ResponseEntity<String> refused, String problem) {
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody())
                .contains("Cannot move circuit breaker 'inventory': " + problem)
                .contains(EVERY_STATE)
                .contains("\"states\":[\"CLOSED\",\"OPEN\",\"HALF_OPEN\",\"FORCED_OPEN\",\"DISABLED\"]");
        assertThat(inventoryBreaker().state()).as("nothing changed").isEqualTo(CircuitState.FORCED_OPEN);
        assertThat(http.get().uri("/inventory").retrieve().body(String.class))
                .as("nothing changed")
                .startsWith("{\"state\":\"FORCED_OPEN\"");
    }
}
