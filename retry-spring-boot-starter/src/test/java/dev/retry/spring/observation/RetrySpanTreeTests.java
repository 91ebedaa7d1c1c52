package dev.retry.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.Retryable;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryObservationAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The trace a retried call makes with tracing on: one span for the call, one child per attempt. */
class RetrySpanTreeTests {

    private final SimpleTracer tracer = new SimpleTracer();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(RetryAutoConfiguration.class, RetryObservationAutoConfiguration.class))
            .withPropertyValues("retry.policies.default.delay=0ms")
            .withBean(ObservationRegistry.class, () -> {
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
                return registry;
            })
            .withBean(SimpleTracer.class, () -> tracer)
            .withBean(Catalog.class);

    /** Fails twice, then answers; each attempt starts a span of its own, as an HTTP client would. */
    static class Catalog {

        private final AtomicInteger attempts = new AtomicInteger();
        private SimpleTracer tracer;

        public void trace(SimpleTracer tracer) {
            this.tracer = tracer;
        }

        @Retryable
        public String item() throws IOException {
            Span request = tracer.nextSpan().name("http get").start();
            request.end();
            if (attempts.incrementAndGet() <= 2) {
                throw new IOException("catalog down");
            }
            return "book";
        }
    }

    @Test
    void aCallRetriedTwiceIsOneSpanWithThreeAttemptChildrenEachParentOfTheMethodsOwnSpan() {
        runner.run(context -> {
            Catalog catalog = context.getBean(Catalog.class);
            catalog.trace(tracer);

            assertThat(catalog.item()).isEqualTo("book");

            List<SimpleSpan> spans = List.copyOf(tracer.getSpans());
            assertThat(spans).hasSize(7);
            SimpleSpan call = only(spans, "retry Catalog.item");
            List<SimpleSpan> attempts = spans.stream()
                    .filter(span -> span.getName().startsWith("attempt "))
                    .toList();
            assertThat(attempts)
                    .extracting(SimpleSpan::getName)
                    .containsExactlyInAnyOrder("attempt 1", "attempt 2", "attempt 3");
            assertThat(attempts).allSatisfy(attempt -> {
                assertThat(attempt.getParentId()).isEqualTo(call.getSpanId());
                assertThat(attempt.getTraceId()).isEqualTo(call.getTraceId());
            });
            assertThat(call.getTags())
                    .containsEntry("method", "Catalog.item")
                    .containsEntry("outcome", "success_after_retry")
                    .containsEntry("retry.policy", "default");
            assertThat(attempts)
                    .filteredOn(attempt -> "failure".equals(attempt.getTags().get("outcome")))
                    .hasSize(2)
                    .allSatisfy(attempt -> assertThat(attempt.getError()).isInstanceOf(IOException.class));
            List<String> attemptIds =
                    attempts.stream().map(SimpleSpan::getSpanId).toList();
            assertThat(spans)
                    .filteredOn(span -> span.getName().equals("http get"))
                    .hasSize(3)
                    .extracting(SimpleSpan::getParentId)
                    .containsExactlyInAnyOrderElementsOf(attemptIds);
        });
    }

    private static SimpleSpan only(List<SimpleSpan> spans, String name) {
        List<SimpleSpan> named =
                spans.stream().filter(span -> name.equals(span.getName())).toList();
        assertThat(named).as("spans named %s", name).hasSize(1);
        return named.get(0);
    }
}
