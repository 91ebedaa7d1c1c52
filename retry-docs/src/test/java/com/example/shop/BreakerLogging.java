package com.example.shop;

import dev.retry.core.CircuitBreakerListener;
import dev.retry.core.CircuitState;
import dev.retry.spring.registry.PolicyListeners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class BreakerLogging {

    private static final Logger log = LoggerFactory.getLogger(BreakerLogging.class);

    @Bean
    PolicyListeners breakerTransitions() {
        return new PolicyListeners() {
            @Override
            public CircuitBreakerListener circuitBreakerListener(String name) {
                return new CircuitBreakerListener() {
                    @Override
                    public void onStateTransition(String breaker, CircuitState from, CircuitState to) {
                        log.warn("breaker {} went from {} to {}", breaker, from, to);
                    }
                };
            }
        };
    }
}
