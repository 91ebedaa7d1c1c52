package dev.retry.spring.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.CircuitOpenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

/**
 * A running application whose {@code retry.*} keys change in a file it imports, refreshed the way
 * Spring Cloud users refresh one: through Spring Cloud's own {@link ContextRefresher#refresh()} and
 * through {@code POST /actuator/refresh}. The effect is read where a user would notice it, in how
 * the annotated bean's calls go, and in {@code /actuator/retryconfig}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // As an operator starts it: Spring Cloud's refresh reads the imported file again, because a
        // command line's arguments are among the sources it keeps (a test's inline ones are not).
        args = "--spring.config.import=optional:file:" + RefreshEndToEndTests.CONFIG_FILE,
        properties = {
            "management.endpoints.web.exposure.include=refresh,retryconfig,health",
            "retry.policies.default.delay=0ms"
        })
class RefreshEndToEndTests {

    /** Relative to the module, where Surefire runs; written before the application starts. */
    static final String CONFIG_FILE = "target/refresh-end-to-end/retry.properties";

    /** What the application starts with: every test begins by writing it back. */
    private static final String STARTING_CONFIGURATION = """
            retry.policies.stock.max-attempts=2
            retry.circuit-breakers.stock.minimum-calls=50
            retry.circuit-breakers.stock.window-size=100
            retry.bulkheads.stock.max-concurrent-calls=1
            retry.policies.orders.max-attempts=2
            """;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Stock stock() {
            return new Stock();
        }

        @Bean
        Orders orders() {
            return new Orders();
        }
    }

    /** A client of a dependency that fails, counting how often its method body runs. */
    static class Stock {

        private final AtomicInteger runs = new AtomicInteger();

        /** A method, not the field, since the test holds the bean's proxy. */
        public AtomicInteger runs() {
            return runs;
        }

        @Retryable("stock")
        @CircuitBreaker("stock")
        public String failing() throws IOException {
            runs.incrementAndGet();
            throw new IOException("stock service down");
        }

        /** Holds its bulkhead permit until {@code release} opens; says when it holds it. */
        @Bulkhead("stock")
        public String holding(CountDownLatch holding, CountDownLatch release) throws InterruptedException {
            holding.countDown();
            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            return "held";
        }

        @Bulkhead("stock")
        public String quick() {
            return "quick";
        }
    }

    static class Orders {

        private final AtomicInteger runs = new AtomicInteger();

        public AtomicInteger runs() {
            return runs;
        }

        @Retryable("orders")
        public String failing() throws IOException {
            runs.incrementAndGet();
            throw new IOException("orders service down");
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ContextRefresher refresher;

    @Autowired
    Stock stock;

    @Autowired
    Orders orders;

    @BeforeAll
    static void writeTheStartingConfiguration() throws IOException {
        write(STARTING_CONFIGURATION);
    }

    private static void write(String configuration) throws IOException {
        Path file = Path.of(CONFIG_FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, configuration);
    }

    /** The starting configuration again, with {@code changes} written over it. */
    private static void writeStartingConfigurationWith(String changes) throws IOException {
        write(STARTING_CONFIGURATION + changes);
    }

    private RestClient actuator() {
        return RestClient.builder()
                .baseUrl("http://localhost:" + port + "/actuator")
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();
    }

    /** What an operator does after changing the file: {@code POST /actuator/refresh}. */
    private Set<String> postRefresh() {
        return actuator().post().uri("/refresh").retrieve().body(new ParameterizedTypeReference<Set<String>>() {});
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> lastChange() {
        Map<String, Object> config = actuator()
                .get()
                .uri("/retryconfig")
                .retrieve()
                .body(new ParameterizedTypeReference<Map<String, Object>>() {});
        return (Map<String, Object>) config.get("lastChange");
    }

    private static int runsOfOneFailingCall(AtomicInteger runs, ThrowingCall call) {
        runs.set(0);
        assertThatThrownBy(call::call).isInstanceOf(IOException.class);
        return runs.get();
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void call() throws Exception;
    }

    /** Whether a second call gets a permit while a first one holds one. */
    private boolean secondCallIsAdmittedWhileOneIsHeld() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> {
            try {
                return stock.holding(holding, release);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
        });
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            stock.quick();
            return true;
        } catch (BulkheadFullException refused) {
            return false;
        } finally {
            release.countDown();
            assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo("held");
        }
    }

    @Test
    void springCloudsContextRefresherChangesAttemptsTheBreakersThresholdAndTheBulkheadsLimitInPlace() throws Exception {
        write(STARTING_CONFIGURATION);
        refresher.refresh();
        assertThat(runsOfOneFailingCall(stock.runs(), stock::failing)).isEqualTo(2);
        assertThat(secondCallIsAdmittedWhileOneIsHeld()).isFalse();

        writeStartingConfigurationWith("""
                retry.policies.stock.max-attempts=4
                retry.circuit-breakers.stock.minimum-calls=4
                retry.circuit-breakers.stock.window-size=4
                retry.bulkheads.stock.max-concurrent-calls=2
                """);
        Set<String> changed = refresher.refresh();

        assertThat(changed)
                .contains(
                        "retry.policies.stock.max-attempts",
                        "retry.circuit-breakers.stock.minimum-calls",
                        "retry.bulkheads.stock.max-concurrent-calls");
        assertThat(lastChange()).containsEntry("outcome", "applied");
        // Four attempts now, and a window of four failures is enough to open the breaker, whose
        // state the change kept: the call after that is refused without running the method.
        assertThat(runsOfOneFailingCall(stock.runs(), stock::failing)).isEqualTo(4);
        stock.runs().set(0);
        assertThatThrownBy(stock::failing).isInstanceOf(CircuitOpenException.class);
        assertThat(stock.runs()).hasValue(0);
        assertThat(secondCallIsAdmittedWhileOneIsHeld()).isTrue();
    }

    @Test
    void postingToTheActuatorsRefreshEndpointChangesTheNextCalls() throws Exception {
        write(STARTING_CONFIGURATION);
        postRefresh();
        assertThat(runsOfOneFailingCall(orders.runs(), orders::failing)).isEqualTo(2);

        writeStartingConfigurationWith("retry.policies.orders.max-attempts=4\n");
        Set<String> changed = postRefresh();

        assertThat(changed).contains("retry.policies.orders.max-attempts");
        assertThat(lastChange()).containsEntry("outcome", "applied");
        assertThat(runsOfOneFailingCall(orders.runs(), orders::failing)).isEqualTo(4);
    }

    @Test
    void anInvalidChangeIsRefusedWholeSaysWhyAndTheApplicationServesAsBefore() throws Exception {
        write(STARTING_CONFIGURATION);
        postRefresh();

        writeStartingConfigurationWith("""
                retry.policies.orders.max-attempts=4
                retry.bulkheads.stock.max-concurrent-calls=0
                """);
        Set<String> changed = postRefresh();

        assertThat(changed)
                .contains("retry.policies.orders.max-attempts", "retry.bulkheads.stock.max-concurrent-calls");
        Map<String, Object> lastChange = lastChange();
        assertThat(lastChange).containsEntry("outcome", "refused");
        assertThat((String) lastChange.get("message"))
                .contains("retry.bulkheads.stock.max-concurrent-calls", "'0'", "at least 1");
        // The valid half of the change was not applied either: still two attempts, still one permit.
        assertThat(runsOfOneFailingCall(orders.runs(), orders::failing)).isEqualTo(2);
        assertThat(secondCallIsAdmittedWhileOneIsHeld()).isFalse();
        assertThat(actuator().get().uri("/health").retrieve().body(String.class))
                .contains("\"status\":\"UP\"");

        write(STARTING_CONFIGURATION);
        postRefresh();
        assertThat(lastChange()).containsEntry("outcome", "applied");
    }
}
