package com.example.shop;

import dev.retry.annotation.CircuitBreaker;
import org.springframework.stereotype.Service;

@Service
public class PaymentClient {

    @CircuitBreaker("payments")      // one breaker for both methods
    public String charge(String order) {
        return "charged " + order;
    }

    @CircuitBreaker("payments")
    public String refund(String order) {
        return "refunded " + order;
    }

    @CircuitBreaker                  // a breaker of this method's own, configured as default
    public String receipt(String order) {
        return "receipt " + order;
    }
}
