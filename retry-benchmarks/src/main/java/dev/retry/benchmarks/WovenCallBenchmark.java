package dev.retry.benchmarks;

import dev.retry.aspectj.autoconfigure.RetryAspectAutoConfiguration;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.http.HttpRules;
import dev.retry.spring.registry.RetryRegistry;
import java.util.List;
import java.util.Map;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * A {@code @Retryable @CircuitBreaker} method whose call succeeds, reached three ways: what AspectJ
 * mode costs beside the proxy. The variants:
 *
 * <ul>
 *   <li>{@code direct}: the plain bean, no annotation at work, the floor;
 *   <li>{@code proxy}: ours through the starter's proxy ({@code retry.mode: proxy}), as in {@link
 *       AnnotationBenchmark}'s {@code retryBreaker};
 *   <li>{@code woven}: the same annotations on {@link WovenServices.Woven}, woven at compile time, in a
 *       context with {@code retry.mode: aspectj};
 *   <li>{@code wovenThroughThis}: the woven method called by another method of its class through
 *       {@code this}, which no proxy could intercept.
 * </ul>
 *
 * <pre>{@code
 * ./mvnw -q -Pbenchmarks -pl retry-benchmarks -am package -DskipTests
 * java -jar retry-benchmarks/target/benchmarks.jar WovenCallBenchmark -prof gc
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
public class WovenCallBenchmark {

    @Param({"direct", "proxy", "woven", "wovenThroughThis"})
    String variant;

    /** A field, not a constant, so that the compiler cannot fold the call away. */
    String request;

    AnnotationConfigApplicationContext context;
    AnnotatedServices.Service service;

    @Setup
    public void setUp() {
        request = "order-42";
        context = switch (variant) {
            case "direct" -> AnnotationContexts.start("plain");
            case "proxy" -> AnnotationContexts.start("retryBreaker");
            case "woven" -> aspectJModeContext(WovenServices.Woven.class);
            case "wovenThroughThis" -> aspectJModeContext(WovenServices.WovenThroughThis.class);
            default -> throw new IllegalArgumentException("no such variant in this benchmark: " + variant);
        };
        service = context.getBean(AnnotatedServices.Service.class);
        checkVariantMeasuresWhatItSays();
    }

    /**
     * A context in AspectJ mode, as Spring Boot would make it with {@code retry.mode: aspectj}: the
     * aspect's auto-configuration hands the application's interceptor to the woven aspect.
     */
    static AnnotationConfigApplicationContext aspectJModeContext(Class<? extends AnnotatedServices.Service> bean) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("benchmark", Map.of("retry.mode", "aspectj")));
        context.register(Policies.class, RetryAspectAutoConfiguration.class, bean);
        context.refresh();
        return context;
    }

    /** The built-in defaults with the HTTP rules, as the proxy variant's context has them. */
    @Configuration(proxyBeanMethods = false)
    static class Policies {

        @Bean
        RetryRegistry retryRegistry() {
            return new RetryRegistry(RetrySettings.defaults(), List.of(), null, HttpRules.forClassPath());
        }
    }

    /**
     * Proves each variant measures what it claims: only {@code proxy} is a proxy; the failing probe is
     * retried by every annotated variant (so the woven ones are woven) and not by {@code direct}; the
     * measured call answers.
     */
    private void checkVariantMeasuresWhatItSays() {
        boolean proxy = variant.equals("proxy");
        if (AopUtils.isAopProxy(service) != proxy) {
            throw new IllegalStateException(variant + ": the bean is " + (proxy ? "not " : "") + "proxied");
        }
        String probed;
        try {
            probed = service.probe();
        } catch (IllegalStateException firstFailure) {
            probed = null;
        }
        if ((probed != null) == variant.equals("direct")) {
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
