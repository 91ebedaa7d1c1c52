package dev.retry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.retry.sample.downstream.FaultPreset;
import dev.retry.sample.downstream.Faults;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

/**
 * {@code Restocking.restockAll} calls its own {@code @Retryable restock} through {@code this}, which
 * no proxy ever sees: the {@code restock} policy's retries on the dashboard prove that the call went
 * through the aspect woven into the method.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "demo=false")
class SelfInvocationTests {

    @Autowired
    Restocking restocking;

    @Autowired
    Faults faults;

    @LocalServerPort
    int port;

    @AfterEach
    void healthyWarehouse() {
        faults.set(FaultPreset.HEALTHY);
    }

    @Test
    void aBulkRestocksCallsOfItsOwnMethodThroughThisAreRetriedAndTheDashboardShowsIt() {
        RestClient http = RestClient.create("http://localhost:" + port);
        SelfInvocation before = selfInvocation(http);
        // A fifth of requests fail with 500 and a tenth with 503: of 40 items, some 12 fail at first.
        faults.set(FaultPreset.FLAKY);
        List<String> skus = IntStream.range(0, 40).mapToObj(i -> "sku-" + i).toList();

        int restocked = restocking.restockAll(skus);

        SelfInvocation after = selfInvocation(http);
        long calls = after.calls() - before.calls();
        long retries = after.retries() - before.retries();
        assertThat(calls).as("restock calls made through this").isEqualTo(skus.size());
        assertThat(calls + retries)
                .as("attempts of the %d calls: more than the calls only if the woven aspect retried them", calls)
                .isGreaterThan(calls);
        assertThat(restocked)
                .as("items restocked, most after a retry (4 attempts each)")
                .isGreaterThanOrEqualTo(skus.size() - 4);
    }

    /** The dashboard's self-invocation tile, as {@code GET /api/dashboard} gives it. */
    private static SelfInvocation selfInvocation(RestClient http) {
        SelfInvocation shown = http.get()
                .uri("/api/dashboard")
                .retrieve()
                .body(Dashboard.class)
                .selfInvocation();
        assertThat(shown.method()).isEqualTo("Restocking.restock");
        assertThat(shown.policy()).isEqualTo("restock");
        return shown;
    }

    /** The part of {@code GET /api/dashboard} this test reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Dashboard(SelfInvocation selfInvocation) {}

    private record SelfInvocation(String method, String policy, long calls, long retries) {}
}
