package dev.retry.benchmarks.report;

import java.util.List;
import java.util.Set;

/**
 * One table of the report: one benchmark method and its variants.
 *
 * @param id the chart's file name, without {@code .png}
 * @param title the section's heading
 * @param benchmark the benchmark method, {@code Class.method}
 * @param description what the benchmark measures, one paragraph of Markdown
 * @param ours the variants that are this library
 * @param floors the variants that are no library at all, only what any library must cost at least
 * @param references the variants every row's time is divided by, one column each
 */
record Group(
        String id,
        String title,
        String benchmark,
        String description,
        Set<String> ours,
        Set<String> floors,
        List<String> references) {

    Group {
        ours = Set.copyOf(ours);
        floors = Set.copyOf(floors);
        references = List.copyOf(references);
    }

    /** The variants that are another library: neither ours nor a floor. */
    boolean isRival(String variant) {
        return !ours.contains(variant) && !floors.contains(variant);
    }

    private static final String EXACT_CLOCK = "Resilience4j times every call with two readings of its clock "
            + "(`System.nanoTime()`), some 25 ns each on this kind of machine; ours does so only when a listener "
            + "(the starter's meters, say) asks for each call's duration, and otherwise judges slow calls by a "
            + "coarse clock that a daemon thread refreshes. `retry, exact clock` is ours with such a listener.";

    /** The report's groups, in the order it shows them. */
    static final List<Group> ALL = List.of(
            new Group(
                    "core-retry",
                    "Core: a retry policy",
                    "CoreRetryBenchmark.retry",
                    "A retry policy around a call that succeeds at once, 3 attempts, exponential backoff from "
                            + "100 ms (never reached). Every library through its plain Java API.",
                    Set.of("retry"),
                    Set.of("direct"),
                    List.of("retry")),
            new Group(
                    "core-breaker",
                    "Core: a circuit breaker, one thread",
                    "CoreBreakerBenchmark.breaker",
                    "A circuit breaker recording a success: a count window of the last 100 calls, opening at 50 % "
                            + "failures. The Spring templates have no such breaker. " + EXACT_CLOCK,
                    Set.of("retry", "retryExactClock"),
                    Set.of("direct"),
                    List.of("retry")),
            new Group(
                    "core-breaker-2-threads",
                    "Core: a circuit breaker shared by two threads",
                    "CoreBreakerBenchmark.breakerTwoThreads",
                    "The same breakers, one instance called by two threads at once; the time is per call of each "
                            + "thread, so contention on the breaker's window shows as a longer time. While its "
                            + "window is full of successes, ours records one more without writing anything.",
                    Set.of("retry", "retryExactClock"),
                    Set.of("direct"),
                    List.of("retry")),
            new Group(
                    "core-retry-breaker",
                    "Core: a retry around a circuit breaker",
                    "CoreRetryBreakerBenchmark.retryBreaker",
                    "The retry and the breaker above composed, the retry outside, so that every attempt passes "
                            + "the breaker.",
                    Set.of("retry", "retryExactClock"),
                    Set.of("direct"),
                    List.of("retry")),
            new Group(
                    "core-hedge",
                    "Core: a hedge whose delay is never reached",
                    "CoreHedgeBenchmark.hedge",
                    "One hedge after 100 ms around a call that answers at once, so no hedge starts. A synchronous "
                            + "hedge runs its attempts on a pool thread while the caller waits, so its floor is "
                            + "`executorHop`: submitting the call to a cached thread pool and waiting for it. No "
                            + "rival hedges synchronous calls.",
                    Set.of("retry"),
                    Set.of("direct", "executorHop"),
                    List.of("executorHop")),
            new Group(
                    "core-hedge-async",
                    "Core: an asynchronous hedge whose first attempt wins",
                    "CoreHedgeBenchmark.hedgeAsync",
                    "The same hedge around a call that returns a future already complete, so the first attempt "
                            + "wins before any hedge is due. Its floor is `direct`, the bare future the call makes "
                            + "itself; `executorHop` completes that future on a pool thread instead.",
                    Set.of("retry"),
                    Set.of("direct", "executorHop"),
                    List.of("direct")),
            new Group(
                    "core-timeout",
                    "Core: a per-attempt timeout that never fires",
                    "CoreTimeoutBulkheadBenchmark.timeout",
                    "A 1 s time limit around a call that answers at once: the price of arming and disarming one "
                            + "deadline per call (ours: a slot of the calling thread's own that a watchdog thread "
                            + "watches, no timer). Failsafe's timeout, with interruption, is the rival.",
                    Set.of("retry"),
                    Set.of("direct"),
                    List.of("failsafe")),
            new Group(
                    "core-timeout-async",
                    "Core: an asynchronous per-attempt timeout that never fires",
                    "CoreTimeoutBulkheadBenchmark.timeoutAsync",
                    "The same 1 s limit around a call that returns a future already complete. Its floor is "
                            + "`direct`, the bare future; Failsafe's asynchronous timeout is the rival.",
                    Set.of("retry"),
                    Set.of("direct"),
                    List.of("direct", "failsafe")),
            new Group(
                    "core-bulkhead",
                    "Core: a bulkhead with a free permit",
                    "CoreTimeoutBulkheadBenchmark.bulkhead",
                    "25 permits, one caller: the price of taking and returning one permit per call. Failsafe's "
                            + "bulkhead is the rival.",
                    Set.of("retry"),
                    Set.of("direct"),
                    List.of("failsafe")),
            new Group(
                    "annotations",
                    "Annotations on a Spring bean (Spring Framework, no Boot)",
                    "AnnotationBenchmark.call",
                    "An annotated method called through its bean's proxy, each variant in a minimal application "
                            + "context of its own. `noopInterceptor` is the floor of every interceptor-based "
                            + "annotation: a proxy made as ours is, whose interceptor only proceeds.",
                    Set.of("retry", "retryBreaker"),
                    Set.of("plain", "noopInterceptor"),
                    List.of("noopInterceptor", "retryBreaker")),
            new Group(
                    "spring-boot-application",
                    "Spring Boot application: @Retryable @CircuitBreaker with the actuator and the Prometheus registry",
                    "SpringBootApplicationBenchmark.call",
                    "The call users make: a Spring Boot 4.1 application with the actuator and the Prometheus registry, "
                            + "the call succeeds. Ours with its meters off (the metrics auto-configuration excluded) "
                            + "and on; our observations off in both (see Observations). Ours counts into striped sums "
                            + "of its own that the registry reads when scraped, and reads the clock once at the start "
                            + "and once at the end of a call; one read of the clock (`ClockReadBenchmark`) is in the "
                            + "targets beside it. The distribution summary `retry.call.attempts` is the one meter "
                            + "of ours that the registry updates on every call, and its record reads the registry's "
                            + "clock for its decaying maximum: the third row of ours turns that one meter off with "
                            + "Spring Boot's `management.metrics.enable.retry.call.attempts=false`. Spring Framework "
                            + "7's `@Retryable` has no meters; Resilience4j's `@Retry @CircuitBreaker` with its "
                            + "Micrometer binding on.",
                    Set.of("metersOff", "metersOn", "metersOnWithoutAttemptsSummary"),
                    Set.of("plain"),
                    List.of("metersOff", "springRetryable")),
            new Group(
                    "observations",
                    "Observations",
                    "ObservationBenchmark.call",
                    "Our `@Retryable @CircuitBreaker` call with no `ObservationRegistry`, with "
                            + "`ObservationRegistry.NOOP`, and with a registry that records (one handler that does "
                            + "nothing): what a `retry.call` observation and its `retry.attempt` child cost when "
                            + "someone records them is the last row's time above the first.",
                    Set.of("off", "noopRegistry", "recording"),
                    Set.of(),
                    List.of("off")),
            new Group(
                    "aspectj-woven-call",
                    "AspectJ: a woven call",
                    "WovenCallBenchmark.call",
                    "`@Retryable @CircuitBreaker` on a method whose call succeeds: through the starter's proxy "
                            + "(`retry.mode: proxy`), and woven at compile time with `retry-aspectj` in a context "
                            + "with `retry.mode: aspectj`, called from outside and through `this` by another method "
                            + "of its class, which no proxy sees. A woven call pays AspectJ's join point and "
                            + "closure instead of the proxy's method invocation.",
                    Set.of("proxy", "woven", "wovenThroughThis"),
                    Set.of("direct"),
                    List.of("proxy")));

    /** How the report names {@code variant} in this group. */
    String label(String variant, Versions versions) {
        if (benchmark.startsWith("AnnotationBenchmark")) {
            return annotationLabel(variant, versions);
        }
        if (benchmark.startsWith("SpringBootApplicationBenchmark") || benchmark.startsWith("ObservationBenchmark")) {
            return applicationLabel(variant, versions);
        }
        if (benchmark.startsWith("WovenCallBenchmark")) {
            return wovenLabel(variant);
        }
        switch (variant) {
            case "direct":
                return "direct call";
            case "executorHop":
                return "executor hop (floor)";
            case "retry":
                return "retry (ours)";
            case "retryExactClock":
                return "retry, exact clock (ours)";
            case "resilience4j":
                return versions.label("Resilience4j", "io.github.resilience4j:resilience4j-core");
            case "failsafe":
                return versions.label("Failsafe", "dev.failsafe:failsafe");
            case "springRetryTemplate":
                return versions.label("Spring Framework", "org.springframework:spring-core") + " RetryTemplate";
            case "springRetry":
                return versions.label("Spring Retry", "org.springframework.retry:spring-retry") + " RetryTemplate";
            default:
                return variant;
        }
    }

    private static String applicationLabel(String variant, Versions versions) {
        switch (variant) {
            case "plain":
                return "plain bean, no proxy";
            case "metersOff":
                return "retry, meters off (ours)";
            case "metersOn":
                return "retry, meters on (ours)";
            case "metersOnWithoutAttemptsSummary":
                return "retry, meters on, retry.call.attempts disabled (ours)";
            case "springRetryable":
                return versions.label("Spring Framework", "org.springframework:spring-context") + " @Retryable";
            case "resilience4jMetersOn":
                return versions.label("Resilience4j", "io.github.resilience4j:resilience4j-spring6")
                        + " @Retry @CircuitBreaker, meters on";
            case "off":
                return "no observation registry (ours)";
            case "noopRegistry":
                return "ObservationRegistry.NOOP (ours)";
            case "recording":
                return "a recording registry (ours)";
            default:
                return variant;
        }
    }

    private static String wovenLabel(String variant) {
        switch (variant) {
            case "direct":
                return "direct call, no annotation at work";
            case "proxy":
                return "proxy call (ours, retry.mode: proxy)";
            case "woven":
                return "woven call (ours, retry.mode: aspectj)";
            case "wovenThroughThis":
                return "woven call through this (ours, retry.mode: aspectj)";
            default:
                return variant;
        }
    }

    private static String annotationLabel(String variant, Versions versions) {
        switch (variant) {
            case "plain":
                return "plain bean, no proxy";
            case "noopInterceptor":
                return "no-op interceptor (floor)";
            case "retry":
                return "retry @Retryable (ours)";
            case "retryBreaker":
                return "retry @Retryable @CircuitBreaker (ours)";
            case "springRetryable":
                return versions.label("Spring Framework", "org.springframework:spring-context") + " @Retryable";
            case "springRetry":
                return versions.label("Spring Retry", "org.springframework.retry:spring-retry") + " @Retryable";
            case "resilience4jRetry":
                return versions.label("Resilience4j", "io.github.resilience4j:resilience4j-spring6") + " @Retry";
            case "resilience4jBreaker":
                return versions.label("Resilience4j", "io.github.resilience4j:resilience4j-spring6")
                        + " @CircuitBreaker";
            case "resilience4jRetryBreaker":
                return versions.label("Resilience4j", "io.github.resilience4j:resilience4j-spring6")
                        + " @Retry @CircuitBreaker";
            default:
                return variant;
        }
    }
}
