package dev.retry.benchmarks;

import dev.retry.benchmarks.AnnotatedServices.Service;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.http.HttpRules;
import dev.retry.spring.interceptor.RetryAnnotationBeanPostProcessor;
import dev.retry.spring.interceptor.RetryMethodInterceptor;
import dev.retry.spring.observation.RetryObservations;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
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
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * What the {@code retry.call} and {@code retry.attempt} observations cost a successful call of a
 * {@code @Retryable @CircuitBreaker} method, through its proxy:
 *
 * <ul>
 *   <li>{@code off}: no observation registry at all (as {@link AnnotationBenchmark}'s {@code
 *       retryBreaker});
 *   <li>{@code noopRegistry}: {@link ObservationRegistry#NOOP}, which must cost the same as {@code
 *       off}, since the plan is then built without observations;
 *   <li>{@code recording}: a registry with one handler that does nothing, so that what is measured
 *       is the observations' own price (two per call: the call and its attempt), not a tracer's.
 * </ul>
 *
 * <pre>{@code
 * ./mvnw -q -Pbenchmarks -pl retry-benchmarks -am package -DskipTests
 * java -jar retry-benchmarks/target/benchmarks.jar ObservationBenchmark -prof gc
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
public class ObservationBenchmark {

    @Param({"off", "noopRegistry", "recording"})
    String variant;

    /** A field, not a constant, so that the compiler cannot fold the call away. */
    String request;

    AnnotationConfigApplicationContext context;
    Service service;

    @Setup
    public void setUp() {
        request = "order-42";
        context = new AnnotationConfigApplicationContext();
        context.registerBean(RetryAnnotationBeanPostProcessor.class, () -> postProcessor(registryOf(variant)));
        context.register(AnnotatedServices.RetryRetryableBreaker.class);
        context.refresh();
        service = context.getBean(Service.class);
        if (!request.equals(service.call(request))) {
            throw new IllegalStateException(variant + ": the call did not answer its request");
        }
    }

    /** {@code null} for no registry at all. */
    private static ObservationRegistry registryOf(String variant) {
        switch (variant) {
            case "off":
                return null;
            case "noopRegistry":
                return ObservationRegistry.NOOP;
            case "recording":
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(context -> true);
                return registry;
            default:
                throw new IllegalArgumentException("no such variant in this benchmark: " + variant);
        }
    }

    private static RetryAnnotationBeanPostProcessor postProcessor(ObservationRegistry observations) {
        RetryRegistry registry = new RetryRegistry(RetrySettings.defaults(), List.of(), null, HttpRules.forClassPath());
        RetryMethodInterceptor interceptor = observations == null
                ? new RetryMethodInterceptor(registry)
                : new RetryMethodInterceptor(registry, () -> new RetryObservations(observations, null, null));
        return new RetryAnnotationBeanPostProcessor(interceptor);
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
