package dev.retry.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.RetryContext;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code RetryContext.current()} inside every annotated call: the attempt and one idempotency key per
 * invocation.
 * Part of the contract checked from outside; see {@link ContractChecks}.
 */
class RetryContextContractTests {

    private final ApplicationContextRunner runner = ContractChecks.runner();

    static class Contexts {

        static String seen() {
            RetryContext context = RetryContext.current();
            return context.attempt() + "/" + context.idempotencyKey();
        }

        @CircuitBreaker("ctx")
        public String guarded() {
            return seen();
        }

        @Timeout
        public String timed() {
            return seen();
        }

        @Bulkhead
        public String limited() {
            return seen();
        }

        @Fallback("none")
        public String withFallback() {
            return seen();
        }

        String none(Exception failure) {
            return "fallback: " + failure;
        }

        @CircuitBreaker("ctx")
        public CompletableFuture<String> guardedAsync() {
            return CompletableFuture.completedFuture(seen());
        }

        @Retryable
        public String outer() {
            String outer = seen();
            String inner = guarded();
            return outer + " | " + inner + " | " + seen();
        }
    }

    @Test
    void everyAnnotatedCallSeesItsAttemptAndOneIdempotencyKeyPerInvocation() {
        runner.withBean(Contexts.class)
                .withPropertyValues("retry.circuit-breakers.ctx.minimum-calls=10")
                .run(context -> {
                    Contexts contexts = context.getBean(Contexts.class);
                    for (String seen : List.of(
                            contexts.guarded(),
                            contexts.timed(),
                            contexts.limited(),
                            contexts.withFallback(),
                            contexts.guardedAsync().join())) {
                        assertThat(seen).startsWith("1/");
                        assertThat(UUID.fromString(seen.substring(2))).isNotNull();
                    }
                    assertThat(contexts.guarded()).as("one key per invocation").isNotEqualTo(contexts.guarded());
                    assertThat(RetryContext.isActive()).isFalse();
                    String[] nested = contexts.outer().split(" \\| ");
                    assertThat(nested[1])
                            .as("an inner call inside a retried one keeps the outer key")
                            .isEqualTo(nested[0]);
                    assertThat(nested[2]).isEqualTo(nested[0]);
                });
    }
}
