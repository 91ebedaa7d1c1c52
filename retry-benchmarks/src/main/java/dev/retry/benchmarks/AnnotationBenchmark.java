package dev.retry.benchmarks;

import dev.retry.benchmarks.AnnotatedServices.Service;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * An annotated method of a Spring bean, called through its proxy, when the call succeeds: what
 * users of each library actually pay. The variants, each in a minimal context of its own (see
 * {@link AnnotationContexts}), configured alike (see {@link AnnotatedServices}):
 *
 * <ul>
 *   <li>{@code plain}: the bean, unproxied;
 *   <li>{@code noopInterceptor}: a proxy whose interceptor only proceeds, the floor of any
 *       interceptor-based annotation;
 *   <li>{@code retry}, {@code retryBreaker}: ours, {@code @Retryable} and {@code @Retryable
 *       @CircuitBreaker};
 *   <li>{@code springRetryable}: Spring Framework 7's {@code @Retryable} with
 *       {@code @EnableResilientMethods};
 *   <li>{@code springRetry}: Spring Retry's {@code @Retryable} with {@code @EnableRetry};
 *   <li>{@code resilience4jRetry}, {@code resilience4jBreaker}, {@code resilience4jRetryBreaker}:
 *       Resilience4j's {@code @Retry}, {@code @CircuitBreaker} and both, through its Spring 6
 *       aspects.
 * </ul>
 *
 * <pre>{@code
 * ./mvnw -q -Pbenchmarks -pl retry-benchmarks -am package -DskipTests
 * java -jar retry-benchmarks/target/benchmarks.jar AnnotationBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AnnotationBenchmark {

    @Param({
        "plain",
        "noopInterceptor",
        "retry",
        "retryBreaker",
        "springRetryable",
        "springRetry",
        "resilience4jRetry",
        "resilience4jBreaker",
        "resilience4jRetryBreaker"
    })
    String variant;

    /** A field, not a constant, so that the compiler cannot fold the call away. */
    String request;

    AnnotationConfigApplicationContext context;
    Service service;

    @Setup
    public void setUp() {
        request = "order-42";
        context = AnnotationContexts.start(variant);
        service = context.getBean(Service.class);
        checkAnnotationsWork();
    }

    /**
     * Proves the variant measures what it claims: its bean is proxied unless it is {@code plain}, the
     * probe method is retried exactly when the variant retries, and the measured method answers.
     */
    private void checkAnnotationsWork() {
        boolean proxied = AopUtils.isAopProxy(service);
        if (proxied == variant.equals("plain")) {
            throw new IllegalStateException(variant + ": the bean is " + (proxied ? "" : "not ") + "proxied");
        }
        String probed;
        try {
            probed = service.probe();
        } catch (IllegalStateException firstFailure) {
            probed = null;
        }
        if ((probed != null) != AnnotationContexts.retries(variant)) {
            throw new IllegalStateException(
                    variant + ": the failing probe was " + (probed != null ? "" : "not ") + "retried");
        }
        if (!request.equals(service.call(request))) {
            throw new IllegalStateException(variant + ": the call did not answer its request");
        }
    }

    @TearDown
    public void tearDown() {
        context.close();
    }

    @Benchmark
    public String call() {
        return service.call(request);
    }
}
