package dev.retry.spring.actuate;

import dev.retry.core.BulkheadConfig;
import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.HedgeConfig;
import dev.retry.core.RetryConfig;
import dev.retry.core.TimeoutConfig;
import dev.retry.spring.registry.ConfigChange;
import dev.retry.spring.registry.RetryRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code /actuator/retryconfig}: the configuration that every live instance runs with, read from the
 * instance itself, so that an annotation's inline values and an entry's inheritance from its
 * section's {@code default} show as they apply, and nobody has to work out the merge by hand. Keys
 * and values are written as the YAML writes them ({@code max-attempts}, {@code 200ms}). Read only.
 */
@Endpoint(id = "retryconfig")
public class RetryConfigEndpoint {

    /** Units a duration is written in, largest first: the first that divides it exactly is used. */
    private static final List<ChronoUnit> UNITS = List.of(
            ChronoUnit.DAYS,
            ChronoUnit.HOURS,
            ChronoUnit.MINUTES,
            ChronoUnit.SECONDS,
            ChronoUnit.MILLIS,
            ChronoUnit.MICROS,
            ChronoUnit.NANOS);

    private final RetryRegistry registry;

    public RetryConfigEndpoint(RetryRegistry registry) {
        this.registry = registry;
    }

    @ReadOperation
    public RetryConfigDescriptor retryConfig() {
        return new RetryConfigDescriptor(
                registry.strictNames(),
                describe(registry.retryPolicies(), registry.retryPolicyVariants(), policy -> policy(policy.config())),
                describe(registry.circuitBreakers(), Map.of(), breaker -> breaker(breaker.config())),
                describe(registry.hedgePolicies(), registry.hedgePolicyVariants(), hedge -> hedge(hedge.config())),
                describe(
                        registry.timeoutPolicies(),
                        registry.timeoutPolicyVariants(),
                        timeout -> timeout(timeout.config())),
                describe(registry.bulkheads(), Map.of(), bulkhead -> bulkhead(bulkhead.config())),
                registry.lastChange().map(RetryConfigEndpoint::change).orElse(null));
    }

    /** {@code {time, outcome, message}}: when the last change while running came, whether it applied, and why not. */
    private static Map<String, Object> change(ConfigChange change) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("time", change.time().toString());
        shown.put("outcome", word(change.outcome()));
        shown.put("message", change.message());
        return shown;
    }

    /**
     * Every section, each instance by the name it is known by; a variant built for an annotation's
     * inline values is listed under its name followed by those values, such as {@code inventory
     * @Retryable(maxAttempts=5)}. {@code lastChange} is the outcome of the last change of the
     * configuration while the application runs ({@code time}, {@code outcome}: {@code applied} or
     * {@code refused}, and {@code message}), {@code null} until there has been one.
     */
    public record RetryConfigDescriptor(
            boolean strictNames,
            Map<String, Map<String, Object>> policies,
            Map<String, Map<String, Object>> circuitBreakers,
            Map<String, Map<String, Object>> hedges,
            Map<String, Map<String, Object>> timeouts,
            Map<String, Map<String, Object>> bulkheads,
            Map<String, Object> lastChange) {}

    private static <P> Map<String, Map<String, Object>> describe(
            Map<String, P> instances, Map<String, P> variants, Function<P, Map<String, Object>> describe) {
        Map<String, Map<String, Object>> described = new LinkedHashMap<>();
        instances.forEach((name, instance) -> described.put(name, describe.apply(instance)));
        new java.util.TreeMap<>(variants).forEach((name, instance) -> described.put(name, describe.apply(instance)));
        return described;
    }

    private Map<String, Object> policy(RetryConfig config) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("max-attempts", config.maxAttempts());
        keys.put("backoff", word(config.backoff()));
        keys.put("delay", duration(config.delay()));
        keys.put("multiplier", config.multiplier());
        keys.put("max-delay", duration(config.maxDelay()));
        keys.put("jitter", word(config.jitter()));
        keys.put("max-duration", duration(config.maxDuration()));
        keys.put("retry-on", names(config.retryOn()));
        keys.put("abort-on", names(config.abortOn()));
        keys.put("retry-on-status", registry.retryOnStatus(config.name()));
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("ratio", config.budgetRatio());
        budget.put("min-retries-per-second", config.budgetMinRetriesPerSecond());
        keys.put("budget", budget);
        Map<String, Object> adaptive = new LinkedHashMap<>();
        adaptive.put("enabled", config.adaptive());
        adaptive.put("min-attempts", config.adaptiveMinAttempts());
        keys.put("adaptive", adaptive);
        return keys;
    }

    private Map<String, Object> breaker(CircuitBreakerConfig config) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("window", word(config.windowType()));
        keys.put("window-size", config.windowSize());
        keys.put("minimum-calls", config.minimumCalls());
        keys.put("failure-rate-threshold", config.failureRateThreshold());
        keys.put("slow-call-duration", duration(config.slowCallDuration()));
        keys.put("slow-call-rate-threshold", config.slowCallRateThreshold());
        keys.put("open-duration", duration(config.openDuration()));
        keys.put("half-open-calls", config.halfOpenCalls());
        keys.put("record-on", names(config.recordOn()));
        keys.put("ignore-on", names(config.ignoreOn()));
        keys.put("record-on-status", registry.recordOnStatus(config.name()));
        return keys;
    }

    private static Map<String, Object> hedge(HedgeConfig config) {
        Map<String, Object> keys = new LinkedHashMap<>();
        double percentile = config.delayPercentile().orElse(0);
        keys.put(
                "delay",
                config.adaptive()
                        ? "p"
                                + (percentile == Math.rint(percentile)
                                        ? String.valueOf((long) percentile)
                                        : String.valueOf(percentile))
                        : duration(config.delay()));
        keys.put("max-hedges", config.maxHedges());
        return keys;
    }

    private static Map<String, Object> timeout(TimeoutConfig config) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("duration", duration(config.duration()));
        keys.put("interrupt", config.interrupt());
        return keys;
    }

    private static Map<String, Object> bulkhead(BulkheadConfig config) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("max-concurrent-calls", config.maxConcurrentCalls());
        keys.put("max-wait", duration(config.maxWait()));
        return keys;
    }

    /** As the YAML writes it: {@code 200ms}, {@code 10s}, {@code 1m}, in the largest unit that fits exactly. */
    static String duration(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        for (ChronoUnit unit : UNITS) {
            Duration one = unit.getDuration();
            boolean exact = one.getSeconds() > 0
                    ? duration.getNano() == 0 && duration.getSeconds() % one.getSeconds() == 0
                    : duration.getNano() % one.getNano() == 0;
            if (exact) {
                return DurationStyle.SIMPLE.print(duration, unit);
            }
        }
        return DurationStyle.SIMPLE.print(duration, ChronoUnit.NANOS);
    }

    private static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    private static List<String> names(List<Class<? extends Throwable>> types) {
        return types.stream().map(Class::getName).toList();
    }
}
