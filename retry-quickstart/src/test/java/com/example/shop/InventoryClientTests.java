package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.CircuitState;
import dev.retry.test.spring.RetryTestKit;
import dev.retry.test.spring.VirtualTime;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
@VirtualTime                                   // every policy of the application on one virtual clock
class InventoryClientTests {

    static final InventoryService inventory = InventoryService.onLoopback();

    @DynamicPropertySource
    static void inventoryUrl(DynamicPropertyRegistry properties) {
        properties.add("inventory.url", inventory::url);
    }

    @AfterAll
    static void stopInventory() {
        inventory.close();
    }

    @Autowired
    InventoryClient client;

    @Autowired
    RetryTestKit retry;

    @Autowired
    MeterRegistry meters;

    @Test
    void twoFailuresAreRetriedThenTheBreakerOpensAndATrialCallClosesIt() {
        inventory.failFirst("B-2", 2);                          // two 503s, then the stock
        assertThat(client.stock("B-2").quantity()).isEqualTo(7);
        assertThat(retry.attemptsPerCall("inventory")).containsExactly(3);
        assertThat(retry.sleeps()).hasSize(2);                   // slept on the virtual clock

        inventory.failFirst("A-1", Integer.MAX_VALUE);          // a service that stays down
        client.stock("A-1");                                     // 4 attempts, all failing
        client.stock("A-1");                                     // the 10th attempt opens the breaker
        assertThat(retry.breaker("inventory").state()).isEqualTo(CircuitState.OPEN);
        int requests = inventory.requestsFor("A-1");
        assertThat(client.stock("A-1").quantity()).isEqualTo(-1);  // refused, answered by the fallback
        assertThat(inventory.requestsFor("A-1")).isEqualTo(requests);

        retry.advance(Duration.ofSeconds(20));                  // open-duration: 20s, in an instant
        assertThat(retry.breaker("inventory").state()).isEqualTo(CircuitState.HALF_OPEN);
        inventory.failFirst("A-1", 0);                          // the service is back
        for (int trial = 0; trial < 5; trial++) {                // half-open-calls: 5 trial calls
            assertThat(client.stock("A-1").quantity()).isEqualTo(7);
        }
        assertThat(retry.breaker("inventory").state()).isEqualTo(CircuitState.CLOSED);

        assertThat(counter("retry.calls", "outcome", "success_after_retry")).isEqualTo(1);
        assertThat(counter("retry.calls", "outcome", "failure_after_retry")).isEqualTo(2);
        assertThat(counter("circuitbreaker.rejected")).isEqualTo(2);     // the 2nd call's 4th attempt, the 3rd call
        assertThat(counter("circuitbreaker.transitions", "to", "OPEN")).isEqualTo(1);
        assertThat(counter("circuitbreaker.transitions", "to", "CLOSED")).isEqualTo(1);
    }

    private double counter(String name, String... tags) {
        return meters.get(name).tag("name", "inventory").tags(tags).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
