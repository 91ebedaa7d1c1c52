package com.example.shop;

import dev.retry.annotation.Retryable;
import dev.retry.core.RetryContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

@Service
public class CatalogClient {

    private final RestClient http = RestClient.create("http://catalog.internal");

    @Retryable("catalog")                            // retry.policies.catalog
    public String item(String id) {
        return http.get().uri("/items/{id}", id)
                .header("Idempotency-Key", RetryContext.current().idempotencyKey())  // the same on every attempt
                .retrieve().body(String.class);
    }

    @Retryable(value = "catalog", maxAttempts = 2)   // catalog, but 2 attempts
    public String itemQuickly(String id) {
        return http.get().uri("/items/{id}", id).retrieve().body(String.class);
    }

    @Retryable(retryOn = IOException.class, abortOn = NoSuchFileException.class)  // default, narrowed
    public byte[] read(Path path) throws IOException {
        return Files.readAllBytes(path);   // a NoSuchFileException is not retried and reaches the caller as it is
    }
}
