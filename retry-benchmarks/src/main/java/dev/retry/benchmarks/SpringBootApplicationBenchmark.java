package dev.retry.benchmarks;

import dev.retry.benchmarks.AnnotatedServices.Service;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A {@code @Retryable @CircuitBreaker} method whose call succeeds, in a Spring Boot application with
 * the actuator and the Prometheus registry, the way the README tells users to run one: what users
 * pay with meters on. The variants, each its own application:
 *
 * <ul>
 *   <li>{@code plain}: the bean, unproxied;
 *   <li>{@code metersOff}: ours with {@code RetryMetricsAutoConfiguration} excluded, so that no meter
 *       of ours exists;
 *   <li>{@code metersOn}: ours as it starts, its meters in the Prometheus registry;
 *   <li>{@code metersOnWithoutAttemptsSummary}: the same with {@code
 *       management.metrics.enable.retry.call.attempts=false}, Spring Boot's own switch for one meter:
 *       the distribution summary is the one meter of ours that a registry updates on every call, and
 *       its record reads the registry's clock (for its decaying maximum), so this is what the other
 *       meters cost without it;
 *   <li>(both of ours without our observations, which {@link ObservationBenchmark} measures; the
 *       other variants without any of our auto-configuration);
 *   <li>{@code springRetryable}: Spring Framework 7's {@code @Retryable} (it has no meters);
 *   <li>{@code resilience4jMetersOn}: Resilience4j's {@code @Retry @CircuitBreaker} with its
 *       Micrometer binding ({@code TaggedRetryMetrics}, {@code TaggedCircuitBreakerMetrics}).
 * </ul>
 *
 * <p>{@link ClockReadBenchmark} measures one {@code System.nanoTime()} beside it, so that the report
 * can say what the clock reads of meters cost on the machine.
 *
 * <pre>{@code
 * ./mvnw -q -Pbenchmarks -pl retry-benchmarks -am package -DskipTests
 * java -jar retry-benchmarks/target/benchmarks.jar 'SpringBootApplicationBenchmark|ClockReadBenchmark' -prof gc
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
public class SpringBootApplicationBenchmark {

    @Param({
        "plain",
        "metersOff",
        "metersOn",
        "metersOnWithoutAttemptsSummary",
        "springRetryable",
        "resilience4jMetersOn"
    })
    String variant;

    /** A field, not a constant, so that the compiler cannot fold the call away. */
    String request;

    ConfigurableApplicationContext context;
    Service service;

    @Setup
    public void setUp() {
        request = "order-42";
        context = start(variant);
        service = context.getBean(Service.class);
        check();
    }

    /**
     * Proves the variant measures what it claims: a Prometheus registry is the application's, the
     * bean is proxied unless plain, and our breaker's meter exists exactly when our meters are on.
     */
    private void check() {
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        if (!(meters instanceof PrometheusMeterRegistry)) {
            throw new IllegalStateException(
                    variant + ": the registry is " + meters.getClass().getName());
        }
        if (AopUtils.isAopProxy(service) == variant.equals("plain")) {
            throw new IllegalStateException(variant + ": the bean is proxied wrongly");
        }
        if (!request.equals(service.call(request))) {
            throw new IllegalStateException(variant + ": the call did not answer its request");
        }
        boolean ourMeters = meters.find("circuitbreaker.calls").meter() != null;
        if (ourMeters != variant.startsWith("metersOn")) {
            throw new IllegalStateException(variant + ": our meters are " + (ourMeters ? "" : "not ") + "there");
        }
        boolean attemptsSummary = meters.find("retry.call.attempts").summary() != null;
        if (attemptsSummary != variant.equals("metersOn")) {
            throw new IllegalStateException(
                    variant + ": retry.call.attempts is " + (attemptsSummary ? "" : "not ") + "there");
        }
        if (variant.equals("resilience4jMetersOn")
                && meters.find("resilience4j.circuitbreaker.calls").meter() == null) {
            throw new IllegalStateException(variant + ": Resilience4j's meters are not there");
        }
    }

    private static final String OURS = "dev.retry.spring.autoconfigure.";

    /**
     * Our observations are left out of both our variants: Spring Boot's actuator brings an
     * observation registry whose handler times each observation, which {@link ObservationBenchmark}
     * measures on its own; here the meters are what differs.
     */
    private static final String WITHOUT_OUR_OBSERVATIONS =
            "spring.autoconfigure.exclude=" + OURS + "RetryObservationAutoConfiguration";

    private static final String WITHOUT_OUR_METERS =
            WITHOUT_OUR_OBSERVATIONS + "," + OURS + "RetryMetricsAutoConfiguration";

    /** The other libraries' applications, without ours, as their users would run them. */
    private static final String WITHOUT_US = WITHOUT_OUR_METERS + "," + OURS + "RetryAutoConfiguration," + OURS
            + "RetryEventsAutoConfiguration," + OURS + "RetryEndpointAutoConfiguration," + OURS
            + "RetryThreadsAutoConfiguration," + OURS + "RetryRefreshAutoConfiguration," + OURS
            + "RetryCloudCircuitBreakerAutoConfiguration," + OURS + "RetryHttpClientsAutoConfiguration";

    static ConfigurableApplicationContext start(String variant) {
        SpringApplicationBuilder application = switch (variant) {
            case "plain" ->
                new SpringApplicationBuilder(Application.class, AnnotatedServices.Plain.class).properties(WITHOUT_US);
            case "metersOff" ->
                new SpringApplicationBuilder(Application.class, AnnotatedServices.RetryRetryableBreaker.class)
                        .properties(WITHOUT_OUR_METERS);
            case "metersOn" ->
                new SpringApplicationBuilder(Application.class, AnnotatedServices.RetryRetryableBreaker.class)
                        .properties(WITHOUT_OUR_OBSERVATIONS);
            case "metersOnWithoutAttemptsSummary" ->
                new SpringApplicationBuilder(Application.class, AnnotatedServices.RetryRetryableBreaker.class)
                        .properties(WITHOUT_OUR_OBSERVATIONS, "management.metrics.enable.retry.call.attempts=false");
            case "springRetryable" ->
                new SpringApplicationBuilder(
                                Application.class,
                                AnnotationContexts.SpringResilientMethods.class,
                                AnnotatedServices.SpringRetryable.class)
                        .properties(WITHOUT_US);
            case "resilience4jMetersOn" ->
                new SpringApplicationBuilder(
                                Application.class,
                                Resilience4jWithMeters.class,
                                AnnotatedServices.Resilience4jRetryBreaker.class)
                        .properties(WITHOUT_US);
            default -> throw new IllegalArgumentException("no such variant in this benchmark: " + variant);
        };
        return application
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .run();
    }

    /** Spring Boot's auto-configuration, ours included, as an application's {@code @SpringBootApplication} brings it. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {}

    /** Resilience4j's aspects, configured as {@link AnnotationContexts} does, with its Micrometer binding. */
    @Configuration(proxyBeanMethods = false)
    @Import(AnnotationContexts.Resilience4jAnnotations.class)
    static class Resilience4jWithMeters {

        @Bean
        MeterBinder resilience4jRetryMetrics(RetryRegistry retries) {
            return TaggedRetryMetrics.ofRetryRegistry(retries);
        }

        @Bean
        MeterBinder resilience4jCircuitBreakerMetrics(CircuitBreakerRegistry breakers) {
            return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers);
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
