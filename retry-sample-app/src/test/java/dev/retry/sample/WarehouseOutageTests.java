package dev.retry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.CircuitState;
import dev.retry.core.RetryBudget;
import dev.retry.sample.downstream.FaultPreset;
import dev.retry.sample.downstream.Faults;
import dev.retry.spring.registry.RetryRegistry;
import dev.retry.test.VirtualClock;
import dev.retry.test.spring.RetryTestKit;
import dev.retry.test.spring.VirtualTime;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The warehouse outage of the sample, with the sample's own {@code application.yml} (a 10 s open
 * duration, backoffs of 100 ms and more, a budget over 10 s windows), on the virtual clock: nothing
 * here waits for a delay or an open duration for real, so the outage, the recovery and the budget's
 * effect are the same on every run and on a busy machine. Only the HTTP exchanges with the sample's
 * downstream take their real (loopback) time.
 */
@SpringBootTest(properties = "demo=false")
@VirtualTime
class WarehouseOutageTests {

    private static final Duration OPEN_DURATION = Duration.ofSeconds(10); // application.yml

    @Autowired
    CatalogClient catalog;

    @Autowired
    Faults faults;

    @Autowired
    RetryTestKit retry;

    @Autowired
    VirtualClock clock;

    @Autowired
    RetryRegistry policies;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void healthyWarehouse() {
        faults.set(FaultPreset.HEALTHY);
    }

    @AfterEach
    void warehouseBackToHealth() {
        faults.set(FaultPreset.HEALTHY);
    }

    @Test
    void theBreakerOpensDuringAnOutageAndATrialCallClosesItOnceTheOpenDurationHasPassed() {
        faults.set(FaultPreset.OUTAGE);
        int calls = 0;
        while (retry.breaker("warehouse").state() == CircuitState.CLOSED && calls < 50) {
            CatalogClient.Stock stock = catalog.stock("sku-" + calls++);
            assertThat(stock.available())
                    .as("every answer during the outage comes from the fallback")
                    .isEqualTo(-1);
        }
        assertThat(retry.breaker("warehouse").state())
                .as("the breaker after %d calls, each retried up to 4 attempts", calls)
                .isEqualTo(CircuitState.OPEN);
        assertThat(calls)
                .as("calls until 20 recorded attempts (minimum-calls) failed")
                .isBetween(5, 20);
        assertThat(retry.sleeps())
                .as("the backoffs between the failed attempts, slept on the virtual clock")
                .isNotEmpty()
                .allSatisfy(delay -> assertThat(delay).isLessThanOrEqualTo(Duration.ofSeconds(2)));

        double attemptsBefore = attemptCount();
        CatalogClient.Stock refused = catalog.stock("sku-open");
        assertThat(refused.fallback()).isEqualTo("warehouse breaker open");
        assertThat(catalog.reserve("sku-open").pending())
                .as("reserve shares the breaker, so it is refused too")
                .isTrue();
        assertThat(attemptCount())
                .as("an open breaker sends nothing to the warehouse")
                .isEqualTo(attemptsBefore);

        retry.advance(OPEN_DURATION.minusMillis(1));
        assertThat(retry.breaker("warehouse").state()).isEqualTo(CircuitState.OPEN);
        retry.advance(Duration.ofMillis(1));
        assertThat(retry.breaker("warehouse").state())
                .as("10 s of open duration passed in an instant")
                .isEqualTo(CircuitState.HALF_OPEN);

        faults.set(FaultPreset.HEALTHY);
        for (int trial = 0; trial < 5; trial++) { // half-open-calls: 5
            CatalogClient.Stock stock = catalog.stock("sku-trial-" + trial);
            assertThat(stock.fallback()).isNull();
            assertThat(stock.available()).isNotNegative();
        }
        assertThat(retry.breaker("warehouse").state()).isEqualTo(CircuitState.CLOSED);
        assertThat(retry.transitions("warehouse"))
                .extracting(RetryTestKit.Transition::to)
                .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
        assertThat(meters.get("circuitbreaker.transitions")
                        .tags("name", "warehouse", "from", "HALF_OPEN", "to", "CLOSED")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    /**
     * With the breaker out of the way, an outage shows what the budget is for: retries stop at a
     * fifth of the calls plus 5 per second over each 10 s window, however many calls keep coming,
     * and the refused retries are counted.
     */
    @Test
    void duringALongOutageTheBudgetCapsTheRetriesTheWarehouseSees() {
        retry.breaker("warehouse").transitionTo(CircuitState.DISABLED);
        try {
            faults.set(FaultPreset.OUTAGE);
            Duration start = clock.elapsed();
            double retriesBefore = retryCount();
            RetryBudget budget =
                    policies.retryPolicies().get("warehouse").budget().orElseThrow();
            for (int call = 0; call < 150; call++) {
                catalog.stock("sku-" + call);
                assertThat(budget.retriesInWindow())
                        .as("retries granted in the window after %d calls", call + 1)
                        .isLessThanOrEqualTo((long) Math.floor(0.2 * budget.callsInWindow()) + 5L * 10);
            }
            assertThat(meters.get("retry.budget.exhausted")
                            .tag("name", "warehouse")
                            .counter()
                            .count())
                    .as("retries the budget refused")
                    .isPositive();
            long retries = Math.round(retryCount() - retriesBefore);
            long windows = clock.elapsed().minus(start).toSeconds() / RetryBudget.WINDOW_SECONDS + 1;
            assertThat(retries)
                    .as(
                            "retries in %s of virtual time, against 450 without a budget",
                            clock.elapsed().minus(start))
                    .isLessThanOrEqualTo(Math.round(0.2 * 150) + 5L * RetryBudget.WINDOW_SECONDS * windows)
                    .isLessThan(3 * 150);
        } finally {
            retry.resetBreaker("warehouse");
        }
    }

    private double retryCount() {
        return meters.get("retry.attempts").tag("name", "warehouse").counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }

    private double attemptCount() {
        return meters.get("circuitbreaker.calls").tag("name", "warehouse").functionTimers().stream()
                .mapToDouble(timer -> timer.count())
                .sum();
    }
}
