package dev.retry.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.shop.BreakerLogging;
import com.example.shop.CatalogClient;
import com.example.shop.PaymentClient;
import com.example.shop.PriceClient;
import com.example.shop.QuoteClient;
import com.example.shop.SearchClient;
import com.example.shop.WarehouseClient;
import dev.retry.spring.registry.RetryRegistry;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The manual's Spring examples pass the start-up checks together, with exactly the entries
 * docs/annotations.md says they need, and answer as the page says they answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "retry.policies.catalog.max-attempts=3",
        "retry.circuit-breakers.payments.minimum-calls=20",
        "retry.hedges.search.delay=100ms",
        "retry.timeouts.catalog.duration=800ms",
        "retry.bulkheads.inventory.max-concurrent-calls=10",
        "retry.bulkheads.inventory.max-wait=50ms"})
class ManualExamplesTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({CatalogClient.class, PaymentClient.class, SearchClient.class, PriceClient.class, QuoteClient.class,
            WarehouseClient.class, BreakerLogging.class})
    static class Examples {
    }

    @Autowired
    PriceClient prices;

    @Autowired
    PaymentClient payments;

    @Autowired
    WarehouseClient warehouse;

    @Autowired
    RetryRegistry registry;

    @Test
    void theMostSpecificFallbackAnswersPrice() throws IOException {
        assertThat(prices.price("A-1")).isEqualTo("connect:A-1");
    }

    @Test
    void aFallbackLimitedToIllegalStateExceptionLetsAnIOExceptionReachTheCaller() {
        assertThatThrownBy(() -> prices.strictPrice("A-1")).isInstanceOf(IOException.class)
                .hasMessage("not answered: reaches the caller");
    }

    @Test
    void paymentsIsOneBreakerAndTheUnnamedOneIsNamedAfterItsMethod() {
        assertThat(payments.charge("o-1")).isEqualTo("charged o-1");
        assertThat(registry.circuitBreakers()).containsKeys("payments", "com.example.shop.PaymentClient.receipt(String)");
    }

    @Test
    void theBulkheadExamplesCallsRunWhileItHasPermits() {
        assertThat(warehouse.reserve("A-1")).isEqualTo("reserved A-1");
        assertThat(warehouse.count("A-1")).isEqualTo("counted A-1");
    }
}
