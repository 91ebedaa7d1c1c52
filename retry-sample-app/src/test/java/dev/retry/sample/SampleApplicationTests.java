package dev.retry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.sample.downstream.FaultPreset;
import dev.retry.sample.downstream.Faults;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

/**
 * The sample as a newcomer meets it: a running application, its warehouse in trouble, its endpoints.
 * The outage and the breaker's recovery are in {@link WarehouseOutageTests}, on the virtual clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "demo=false")
class SampleApplicationTests {

    @Autowired
    CatalogClient catalog;

    @Autowired
    Faults faults;

    @Autowired
    RetryRegistry policies;

    @Autowired
    MeterRegistry meters;

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

    /**
     * Hedged and unhedged reads side by side, one of each in turn, until the unhedged ones have met
     * the slow tail a dozen times (3 % of answers are slow: some 400 pairs). Each answer says whether
     * the downstream took its slow-tail time over it, so the test counts the reads that waited for a
     * slow answer rather than timing them, which a busy machine's stalls would blur: a hedged read
     * gets a slow answer only when its hedge is slow too, about one time in a thousand.
     */
    @Test
    void underASlowTailHedgedReadsRarelyWaitForASlowAnswer() {
        faults.set(FaultPreset.SLOW_TAIL);
        for (int i = 0; i < 100; i++) {
            catalog.search("warm-up-" + i); // enough latencies for the p90 hedge delay to take over
        }
        int pairs = 0;
        int unhedgedSlow = 0;
        int hedgedSlow = 0;
        while (unhedgedSlow < 12 && pairs < 4_000) {
            pairs++;
            if (catalog.search("q" + pairs).slowAnswer()) {
                hedgedSlow++;
            }
            if (catalog.searchWithoutHedging("q" + pairs).slowAnswer()) {
                unhedgedSlow++;
            }
        }
        assertThat(unhedgedSlow)
                .as("unhedged reads answered by the slow tail in %d pairs", pairs)
                .isGreaterThanOrEqualTo(12);
        assertThat(hedgedSlow)
                .as("hedged reads answered by the slow tail, against %d unhedged, in %d pairs", unhedgedSlow, pairs)
                .isLessThanOrEqualTo(unhedgedSlow / 4);
        assertThat(meters.get("hedge.calls")
                        .tags("name", "search", "outcome", "hedge")
                        .counter()
                        .count())
                .as("hedges won reads")
                .isPositive();
    }

    @Test
    void prometheusCarriesTheContractsMetersWithTheirTags() {
        catalog.stock("sku-5");
        catalog.search("q");
        String scrape = RestClient.create("http://localhost:" + port)
                .get()
                .uri("/actuator/prometheus")
                .retrieve()
                .body(String.class);
        assertThat(scrape)
                .contains("retry_calls_total{exception=\"none\",name=\"warehouse\",outcome=\"success\"}")
                .contains("retry_calls_total{exception=\"none\",name=\"warehouse\",outcome=\"failure_after_retry\"}")
                .contains("retry_attempts_total{exception=\"none\",name=\"warehouse\"}")
                .contains("retry_call_attempts_bucket{name=\"warehouse\",le=\"3.0\"}")
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
        assertThat(dashboard)
                .contains("\"phase\":\"manual\"")
                .contains("\"preset\":\"rate-limited\"")
                .contains("\"warehouse\":{\"state\":\"CLOSED\"")
                .contains("\"counters\":{\"calls\":");
        assertThat(http.get().uri("/api/faults").retrieve().body(String.class))
                .contains("slow-tail", "outage", "dropped-connections", "retry-after");
    }
}
