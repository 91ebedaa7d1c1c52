package dev.retry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.CircuitState;
import dev.retry.spring.registry.RetryRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * The {@code circuitbreakers} and {@code retryevents} endpoints over HTTP as a hostile client uses
 * them: a state that is a JSON array, an object, a number; names with dots and with the characters
 * of a per-method breaker's name; and many moves of one breaker while calls go through it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=circuitbreakers,retryevents",
            "retry.circuit-breakers.[pay.gateway].open-duration=30s",
            "retry.circuit-breakers.[pay.gateway].minimum-calls=5"
        })
class HostileEndpointTests {

    private static final String EVERY_STATE = "CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED";

    private static final String UNREADABLE =
            "the body is not a JSON object whose state is one name written as a string";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Payments payments() {
            return new Payments();
        }
    }

    static class Payments {

        @CircuitBreaker("pay.gateway")
        public String pay() {
            return "paid";
        }

        /** A breaker of its own, named after the method: dots, a dollar sign and brackets. */
        @CircuitBreaker
        public String refund() {
            return "refunded";
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    RetryRegistry registry;

    @Autowired
    Payments payments;

    private RestClient http;

    @BeforeEach
    void aForcedOpenBreaker() {
        // Names are sent already encoded, as a client that copies them from the list would.
        DefaultUriBuilderFactory uris = new DefaultUriBuilderFactory("http://localhost:" + port + "/actuator");
        uris.setEncodingMode(DefaultUriBuilderFactory.EncodingMode.NONE);
        http = RestClient.builder()
                .uriBuilderFactory(uris)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
        gateway().transitionTo(CircuitState.FORCED_OPEN);
    }

    @AfterEach
    void closed() {
        gateway().reset();
    }

    private dev.retry.core.CircuitBreakerPolicy gateway() {
        return registry.circuitBreakers().get("pay.gateway");
    }

    /**
     * The JSON ones used to get Spring MVC's bare 400 (the actuator reads the body as names with
     * single values before the endpoint runs), which neither says what is wrong nor lists the states.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"state\":[\"OPEN\"]}          | " + UNREADABLE,
                "{\"state\":{\"name\":\"OPEN\"}} | " + UNREADABLE,
                "{\"state\":                     | " + UNREADABLE,
                "[\"OPEN\"]                        | " + UNREADABLE,
                "{\"state\":5}                   | unknown circuit breaker state '5'",
                "{\"state\":true}                | unknown circuit breaker state 'true'"
            })
    void aStateThatIsNoStateNameIsA400ThatSaysWhyAndListsTheStates(String body, String problem) {
        ResponseEntity<String> refused = post("pay.gateway", body);

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody())
                .contains("Cannot move circuit breaker 'pay.gateway': " + problem + ". Send Content-Type")
                .contains(EVERY_STATE);
        assertThat(gateway().state()).as("nothing changed").isEqualTo(CircuitState.FORCED_OPEN);
    }

    @Test
    void fieldsBesideTheStateAreIgnoredAndTheBreakerMoves() {
        ResponseEntity<String> moved = post("pay.gateway", "{\"state\":\"half-open\",\"reason\":\"drill\",\"n\":1}");

        assertThat(moved.getStatusCode().value()).isEqualTo(200);
        assertThat(gateway().state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void aNameWithDotsIsOneNameForEveryOperationAndEveryEndpoint() {
        assertThat(post("pay.gateway", "{\"state\":\"OPEN\"}").getStatusCode().value())
                .isEqualTo(200);

        ResponseEntity<String> read =
                http.get().uri("/circuitbreakers/pay.gateway").retrieve().toEntity(String.class);
        ResponseEntity<String> events = http.get()
                .uri("/retryevents/circuit-breakers/pay.gateway")
                .retrieve()
                .toEntity(String.class);

        assertThat(read.getStatusCode().value()).isEqualTo(200);
        assertThat(read.getBody()).startsWith("{\"state\":\"OPEN\"");
        assertThat(events.getStatusCode().value()).isEqualTo(200);
        assertThat(events.getBody()).contains("\"from\":\"FORCED_OPEN\",\"to\":\"OPEN\"");
        assertThat(status("/circuitbreakers/pay")).isEqualTo(404);
        assertThat(status("/retryevents/circuit-breakers/pay")).isEqualTo(404);
        assertThat(status("/retryevents/circuitbreakers/pay.gateway")).isEqualTo(404);
    }

    @Test
    void aPerMethodBreakerIsReachedByItsNameAsTheListShowsItUrlEncoded() {
        String name = registry.circuitBreakers().keySet().stream()
                .filter(candidate -> candidate.endsWith("refund()"))
                .findFirst()
                .orElseThrow();
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8);

        ResponseEntity<String> moved = post(encoded, "{\"state\":\"DISABLED\"}");
        ResponseEntity<String> read =
                http.get().uri("/circuitbreakers/" + encoded).retrieve().toEntity(String.class);

        assertThat(moved.getStatusCode().value()).isEqualTo(200);
        assertThat(read.getBody()).startsWith("{\"state\":\"DISABLED\"");
        assertThat(registry.circuitBreakers().get(name).state()).isEqualTo(CircuitState.DISABLED);
        registry.circuitBreakers().get(name).reset();
    }

    @Test
    void manyMovesOfOneBreakerWhileCallsGoThroughItLeaveItInOneOfTheFiveStatesAndCallersSeeNoOtherFailure()
            throws Exception {
        gateway().reset();
        String[] states = {"OPEN", "CLOSED", "HALF_OPEN", "FORCED_OPEN", "DISABLED"};
        ExecutorService threads = Executors.newFixedThreadPool(6);
        AtomicBoolean moving = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        try {
            for (int caller = 0; caller < 3; caller++) {
                work.add(threads.submit(() -> {
                    started.countDown();
                    while (moving.get()) {
                        try {
                            payments.pay();
                        } catch (CircuitOpenException refused) {
                            // what an open breaker answers
                        } catch (Throwable other) {
                            unexpected.add(other);
                        }
                    }
                }));
            }
            started.await(10, TimeUnit.SECONDS);
            for (int mover = 0; mover < 3; mover++) {
                int offset = mover;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        String state = states[(i + offset) % states.length];
                        answers.add(post("pay.gateway", "{\"state\":\"" + state + "\"}")
                                .getStatusCode()
                                .value());
                    }
                }));
            }
            for (Future<?> mover : work.subList(3, work.size())) {
                mover.get(60, TimeUnit.SECONDS); // generous: a loaded two-core machine
            }
        } finally {
            moving.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(unexpected).isEmpty();
        assertThat(answers).hasSize(120).containsOnly(200);
        assertThat(gateway().state()).isIn((Object[]) CircuitState.values());
        ResponseEntity<String> read =
                http.get().uri("/circuitbreakers/pay.gateway").retrieve().toEntity(String.class);
        assertThat(read.getBody())
                .startsWith("{\"state\":\"" + gateway().state().name() + "\"");
    }

    private ResponseEntity<String> post(String name, String body) {
        return http.post()
                .uri("/circuitbreakers/" + name)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .retrieve()
                .toEntity(String.class);
    }

    private int status(String path) {
        return http.get()
                .uri(path)
                .retrieve()
                .toEntity(String.class)
                .getStatusCode()
                .value();
    }
}
