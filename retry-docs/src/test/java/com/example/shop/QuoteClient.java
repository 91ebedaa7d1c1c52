package com.example.shop;

import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

@Service
public class QuoteClient {

    private final RestClient http = RestClient.create("http://quotes.internal");

    @Retryable("catalog")                            // each attempt gets its own 800 ms
    @Timeout("catalog")                              // retry.timeouts.catalog
    public String quote(String sku) {
        return http.get().uri("/quotes/{sku}", sku).retrieve().body(String.class);
    }

    @Timeout(value = "catalog", duration = "200ms")  // catalog, but 200 ms
    public CompletableFuture<String> quickQuote(String sku) {
        return CompletableFuture.supplyAsync(() -> http.get().uri("/quotes/{sku}", sku).retrieve().body(String.class));
    }
}
