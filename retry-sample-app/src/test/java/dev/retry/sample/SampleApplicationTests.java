package dev.retry.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitState;
import dev.retry.sample.downstream.FaultPreset;
import dev.retry.sample.downstream.Faults;
import dev.retry.spring.registry.RetryRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

/** The sample as a newcomer meets it: a running application, its warehouse in trouble, its endpoints. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"demo=false",
        "retry.circuit-breakers.warehouse.open-duration=500ms"})
class SampleApplicationTests {

    @Autowired
    CatalogClient catalog;

    @Autowired
    Faults faults;

    @Autowired
    RetryRegistry policies;

    @LocalServerPort
    int port;

    private CircuitBreakerPolicy warehouseBreaker() {
        return policies.circuitBreakers().get("warehouse");
    }

    @BeforeEach
    void healthyWarehouse() {
        faults.set(FaultPreset.HEALTHY);
        warehouseBreaker().reset();
    }

    @Test
    void duringAnOutageTheBreakerOpensAndTheFallbackAnswersAndAfterRecoveryItClosesAgain() {
        faults.set(FaultPreset.OUTAGE);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            CatalogClient.Stock stock = catalog.stock("sku-1");
            assertThat(stock.available()).as("every answer during the outage comes from the fallback").isEqualTo(-1);
            return warehouseBreaker().state() == CircuitState.OPEN;
        });
        assertThat(catalog.stock("sku-2").fallback()).isEqualTo("warehouse breaker open");
        assertThat(catalog.reserve("sku-2").pending()).as("the breaker is shared by both methods").isTrue();

        faults.set(FaultPreset.HEALTHY);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            catalog.stock("sku-3");
            return warehouseBreaker().state() == CircuitState.CLOSED;
        });
        CatalogClient.Stock recovered = catalog.stock("sku-4");
        assertThat(recovered.fallback()).isNull();
        assertThat(recovered.available()).isNotNegative();
    }

    /** A slow-tail answer takes twenty times a normal one's 5 to 15 ms, so never less than this. */
    private static final long SLOW_ANSWER_NANOS = Duration.ofMillis(100).toNanos();

    @Test
    void underASlowTailHedgedReadsRarelyWaitForASlowAnswer() {
        faults.set(FaultPreset.SLOW_TAIL);
        for (int i = 0; i < 100; i++) {
            catalog.search("warm-up-" + i); // enough latencies for the p90 hedge delay to take over
        }
        // Side by side, until the unhedged reads have met the tail a few times: 3 % of answers are slow, so a
        // fixed number of calls would sometimes see none and prove nothing. 1500 pairs make that all but certain.
        List<Long> hedged = new ArrayList<>();
        long unhedgedSlow = 0;
        for (int i = 0; i < 1500 && (i < 300 || unhedgedSlow < 4); i++) {
            long start = System.nanoTime();
            catalog.search("q" + i);
            hedged.add(System.nanoTime() - start);
            start = System.nanoTime();
            catalog.searchWithoutHedging("q" + i);
            if (System.nanoTime() - start >= SLOW_ANSWER_NANOS) {
                unhedgedSlow++;
            }
        }
        assertThat(unhedgedSlow).as("unhedged reads that waited for a slow answer").isGreaterThanOrEqualTo(4);
        long hedgedP99 = p99(hedged);
        assertThat(hedgedP99).as("hedged p99 %d ms over %d reads, below a slow answer's 100 ms", hedgedP99 / 1_000_000,
                hedged.size()).isLessThan(SLOW_ANSWER_NANOS);
    }

    private static long p99(List<Long> latencies) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    @Test
    void prometheusCarriesTheContractsMetersWithTheirTags() {
        catalog.stock("sku-5");
        catalog.search("q");
        String scrape = RestClient.create("http://localhost:" + port).get().uri("/actuator/prometheus").retrieve()
                .body(String.class);
        assertThat(scrape)
                .contains("retry_calls_total{name=\"warehouse\",outcome=\"success\"}")
                .contains("retry_calls_total{name=\"warehouse\",outcome=\"failure_after_retry\"}")
                .contains("retry_attempts_total{name=\"warehouse\"}")
                .contains("retry_budget_exhausted_total{name=\"warehouse\"}")
                .contains("retry_call_attempts_count{name=\"warehouse\"}")
                .contains("retry_attempts_limit{name=\"warehouse\"}")
                .contains("circuitbreaker_calls_seconds_count{name=\"warehouse\",outcome=\"success\"}")
                .contains("circuitbreaker_rejected_total{name=\"warehouse\"}")
                .contains("circuitbreaker_state{name=\"warehouse\",state=\"CLOSED\"} 1.0")
                .contains("circuitbreaker_failure_rate_percent{name=\"warehouse\"}")
                .contains("hedge_calls_total{name=\"search\",outcome=\"primary\"}")
                .contains("hedge_attempts_total{name=\"search\"}");
    }

    @Test
    void theDashboardApiAndTheFaultButtonsWork() {
        RestClient http = RestClient.create("http://localhost:" + port);
        assertThat(http.post().uri("/api/faults/rate-limited").retrieve().body(String.class))
                .contains("\"preset\":\"rate-limited\"");
        String dashboard = http.get().uri("/api/dashboard").retrieve().body(String.class);
        assertThat(dashboard).contains("\"phase\":\"manual\"").contains("\"preset\":\"rate-limited\"")
                .contains("\"warehouse\":{\"state\":\"CLOSED\"").contains("\"counters\":{\"calls\":");
        assertThat(http.get().uri("/api/faults").retrieve().body(String.class)).contains("slow-tail", "outage",
                "dropped-connections", "retry-after");
    }
}
