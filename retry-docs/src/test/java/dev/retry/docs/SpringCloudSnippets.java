package dev.retry.docs;

import dev.retry.spring.cloud.RetryCircuitBreakerFactory;
import java.time.Duration;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.httpservice.HttpServiceFallback;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.registry.ImportHttpServices;

/** The Java examples of docs/spring-cloud.md, each between its {@code tag::} and {@code end::} lines exactly as shown. */
class SpringCloudSnippets {

    // tag::factory[]
    @Service
    class StockService {

        private final CircuitBreakerFactory<?, ?> breakers;
        private final RestClient inventory;

        StockService(CircuitBreakerFactory<?, ?> breakers, RestClient.Builder http) {
            this.breakers = breakers;
            this.inventory = http.baseUrl("http://inventory").build();
        }

        int stock(String sku) {
            return breakers.create("inventory").run(
                    () -> inventory.get().uri("/stock/{sku}", sku).retrieve().body(Integer.class),
                    failure -> -1);
        }
    }
    // end::factory[]

    @Configuration
    static class InCode {

        // tag::customizer[]
        @Bean
        Customizer<RetryCircuitBreakerFactory> breakersInCode() {
            return factory -> {
                factory.configure(breaker -> breaker.failureRateThreshold(25).openDuration(Duration.ofSeconds(5)), "inventory");
                factory.configureDefault(id -> factory.configBuilder(id).countWindow(50).build());
            };
        }
        // end::customizer[]
    }
}

// tag::http-service-client[]
@HttpExchange("/stock")
interface InventoryClient {

    @GetExchange("/{sku}")
    String stock(@PathVariable String sku);
}

class InventoryFallbacks {

    // The client method's name and parameters, with the failure first.
    public String stock(Throwable failure, String sku) {
        return "unknown";
    }
}

@Configuration
@ImportHttpServices(group = "inventory", types = InventoryClient.class)
@HttpServiceFallback(value = InventoryFallbacks.class, group = "inventory")
class Clients {}
// end::http-service-client[]
