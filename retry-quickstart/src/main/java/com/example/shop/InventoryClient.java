package com.example.shop;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Retryable;
import dev.retry.core.CircuitOpenException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

@Service
public class InventoryClient {

    public record Stock(String sku, int quantity) {
        static Stock unknown(String sku) {
            return new Stock(sku, -1);
        }
    }

    private final RestClient http;

    public InventoryClient(@Value("${inventory.url}") String url) {
        this.http = RestClient.create(url);
    }

    @Retryable("inventory")          // retry.policies.inventory
    @CircuitBreaker("inventory")     // retry.circuit-breakers.inventory
    @Fallback("unknownStock")        // a method of this bean
    public Stock stock(String sku) {
        return http.get().uri("/stock/{sku}", sku).retrieve().body(Stock.class);
    }

    // Chosen when the breaker refuses the call: the most specific exception parameter wins.
    Stock unknownStock(String sku, CircuitOpenException refused) {
        return Stock.unknown(sku);
    }

    // Chosen for any other Exception, once the retries are over.
    Stock unknownStock(String sku, Exception failure) {
        return Stock.unknown(sku);
    }
}
