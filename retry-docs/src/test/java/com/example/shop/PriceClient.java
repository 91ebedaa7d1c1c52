package com.example.shop;

import dev.retry.annotation.Fallback;
import dev.retry.annotation.Retryable;
import java.io.IOException;
import java.net.ConnectException;
import org.springframework.stereotype.Service;

@Service
public class PriceClient {

    @Retryable(maxAttempts = 2)
    @Fallback("cachedPrice")
    public String price(String sku) throws IOException {
        throw new ConnectException("refused");
    }

    @Fallback(value = "cachedPrice", on = IllegalStateException.class)  // answers nothing else
    public String strictPrice(String sku) throws IOException {
        throw new IOException("not answered: reaches the caller");
    }

    String cachedPrice(String sku) {                                 // any Exception
        return "any:" + sku;
    }

    String cachedPrice(String sku, IOException failure) {
        return "io:" + sku;
    }

    String cachedPrice(String sku, ConnectException failure) {       // the most specific: chosen for price()
        return "connect:" + sku;
    }

    String cachedPrice(String sku, IllegalStateException failure) {
        return "illegal:" + sku;
    }
}
