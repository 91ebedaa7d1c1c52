package dev.retry.test.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.Retryable;
import dev.retry.spring.events.EventSection;
import dev.retry.spring.events.RecentEvent;
import dev.retry.spring.events.RecentEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * The recent events of a {@link VirtualTime} test are dated on the virtual clock: retries 2 s apart
 * are stamped 2 s apart however little real time passed, and the next test starts with none.
 */
@SpringBootTest(
        classes = VirtualTimeRecentEventsTests.App.class,
        properties = {
            "retry.policies.inventory.max-attempts=3", "retry.policies.inventory.delay=2s",
            "retry.policies.inventory.backoff=fixed", "retry.policies.inventory.jitter=none"
        })
@VirtualTime
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualTimeRecentEventsTests {

    @Autowired
    Inventory inventory;

    @Autowired
    RecentEvents events;

    @Autowired
    RetryTestKit kit;

    @Test
    @Order(1)
    void retriesTwoVirtualSecondsApartAreStampedTwoSecondsApart() {
        assertThatThrownBy(inventory::stock).isInstanceOf(IllegalStateException.class);
        kit.advance(Duration.ofMinutes(5));
        assertThatThrownBy(inventory::stock).isInstanceOf(IllegalStateException.class);

        List<RecentEvent> recorded =
                events.events(EventSection.POLICIES, "inventory").orElseThrow();
        assertThat(recorded)
                .extracting(RecentEvent::kind)
                .containsExactly("gave-up", "retry", "retry", "gave-up", "retry", "retry");
        Instant first = recorded.get(5).time();
        assertThat(recorded)
                .extracting(RecentEvent::time)
                .containsExactly(
                        first.plus(Duration.ofMinutes(5)).plusSeconds(8),
                        first.plus(Duration.ofMinutes(5)).plusSeconds(6),
                        first.plus(Duration.ofMinutes(5)).plusSeconds(4),
                        first.plusSeconds(4),
                        first.plusSeconds(2),
                        first);
    }

    @Test
    @Order(2)
    void theNextTestStartsWithNoEvents() {
        assertThat(events.events(EventSection.POLICIES, "inventory").orElseThrow())
                .isEmpty();
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

        @Retryable("inventory")
        public int stock() {
            throw new IllegalStateException("inventory is down");
        }
    }
}
