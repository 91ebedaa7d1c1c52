package dev.retry.test.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.CircuitState;
import dev.retry.test.VirtualClock;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring Boot test whose policies wait 2 s between attempts and open a breaker for 30 s: on the
 * virtual clock it takes no real time, and one test's open breaker is closed before the next.
 */
@SpringBootTest(
        classes = VirtualTimeSpringTests.App.class,
        properties = {
            "retry.policies.inventory.max-attempts=3", "retry.policies.inventory.delay=2s",
            "retry.policies.inventory.backoff=fixed", "retry.policies.inventory.jitter=none",
            "retry.circuit-breakers.inventory.minimum-calls=6", "retry.circuit-breakers.inventory.window-size=6",
            "retry.circuit-breakers.inventory.open-duration=30s", "retry.circuit-breakers.inventory.half-open-calls=1"
        })
@VirtualTime
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualTimeSpringTests {

    @Autowired
    Inventory inventory;

    @Autowired
    RetryTestKit kit;

    @Autowired
    VirtualClock clock;

    @Test
    @Order(1)
    void retriesWithTwoSecondDelaysAndOpensTheBreakerInVirtualTime() {
        inventory.failNext(100);
        long realStart = System.nanoTime();

        assertThatThrownBy(inventory::stock).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(inventory::stock).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(inventory::stock).isInstanceOf(CircuitOpenException.class);

        assertThat(kit.sleeps())
                .containsExactly(
                        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(kit.attemptsPerCall("inventory")).containsExactly(3, 3, 1);
        assertThat(kit.transitions("inventory"))
                .containsExactly(new RetryTestKit.Transition(CircuitState.CLOSED, CircuitState.OPEN));
        // Eight seconds of backoff passed on the virtual clock; real time has far less to show.
        assertThat(Duration.ofNanos(System.nanoTime() - realStart)).isLessThan(Duration.ofSeconds(8));

        kit.advance(Duration.ofSeconds(30));
        assertThat(kit.breaker("inventory").state()).isEqualTo(CircuitState.HALF_OPEN);
        inventory.failNext(0);
        assertThat(inventory.stock()).isEqualTo(7);
        assertThat(kit.breaker("inventory").state()).isEqualTo(CircuitState.CLOSED);
        assertThat(kit.transitions("inventory"))
                .extracting(Object::toString)
                .containsExactly("CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> CLOSED");
    }

    @Test
    @Order(2)
    void theNextTestStartsWithAClosedBreakerAndEmptyRecords() {
        kit.forceOpen("inventory");
        assertThatThrownBy(inventory::stock).isInstanceOf(CircuitOpenException.class);
        kit.resetBreaker("inventory");
        assertThat(kit.breaker("inventory").state()).isEqualTo(CircuitState.CLOSED);
        assertThat(kit.sleeps()).isEmpty();
        assertThat(clock.scheduledDelays()).isEmpty();
    }

    @Test
    @Order(3)
    void aForcedOpenBreakerOfAnEarlierTestIsClosedAgain() {
        assertThat(kit.transitions("inventory")).isEmpty();
        assertThat(kit.breaker("inventory").state()).isEqualTo(CircuitState.CLOSED);
        kit.forceOpen("inventory"); // left open on purpose: the extension closes it after this test
    }

    @Test
    @Order(4)
    void afterAForcedOpenTestTheBreakerIsClosed() {
        assertThat(kit.breaker("inventory").state()).isEqualTo(CircuitState.CLOSED);
        inventory.failNext(0);
        assertThat(inventory.stock()).isEqualTo(7);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Inventory inventory() {
            return new Inventory();
        }
    }

    static class Inventory {
        private final AtomicInteger failuresLeft = new AtomicInteger();

        public void failNext(int calls) {
            failuresLeft.set(calls);
        }

        @Retryable("inventory")
        @CircuitBreaker("inventory")
        public int stock() {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new UncheckedIOException(new java.io.IOException("inventory is down"));
            }
            return 7;
        }
    }
}
