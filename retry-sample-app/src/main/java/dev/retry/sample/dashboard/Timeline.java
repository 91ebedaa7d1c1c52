package dev.retry.sample.dashboard;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitBreakerSnapshot;
import dev.retry.sample.SearchLatency;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * The numbers the dashboard and the summary line show, read from the contract's meters: totals
 * now, and a point every {@value #STEP_SECONDS} seconds for the last {@value #MINUTES} minutes.
 */
public class Timeline implements InitializingBean, DisposableBean {

    public static final int STEP_SECONDS = 5;
    static final int MINUTES = 5;
    private static final int POINTS = MINUTES * 60 / STEP_SECONDS;
    private static final String RESTOCK_POLICY = "restock";

    private final MeterRegistry meters;
    private final RetryRegistry policies;
    private final SearchLatency latency;
    private final Deque<DashboardView.Point> points = new ArrayDeque<>();
    private DashboardView.Counters previous = new DashboardView.Counters(0, 0, 0, 0, 0, 0, 0, 0);
    private volatile String phase = "manual";
    private ScheduledExecutorService clock;

    public Timeline(MeterRegistry meters, RetryRegistry policies, SearchLatency latency) {
        this.meters = meters;
        this.policies = policies;
        this.latency = latency;
    }

    @Override
    public void afterPropertiesSet() {
        clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dashboard-timeline");
            thread.setDaemon(true);
            return thread;
        });
        clock.scheduleAtFixedRate(this::step, STEP_SECONDS, STEP_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void destroy() {
        clock.shutdownNow();
    }

    /** Tells the timeline which demo phase the next points belong to. */
    public void phase(String phase) {
        this.phase = phase;
    }

    /** Totals since the application started. */
    public DashboardView.Counters counters() {
        return new DashboardView.Counters(
                sum("retry.calls", null, null),
                sum("retry.attempts", null, null),
                sum("fallback.calls", null, null),
                sum("hedge.calls", "outcome", "hedge"),
                sum("circuitbreaker.rejected", null, null),
                sum("retry.budget.exhausted", null, null),
                sum("timeout.calls", "outcome", "timeout"),
                sum("bulkhead.calls", "outcome", "rejected"));
    }

    /** {@code Restocking.restock}, called by {@code restockAll} through {@code this}: its calls and retries. */
    public DashboardView.SelfInvocation selfInvocation() {
        return new DashboardView.SelfInvocation(
                "Restocking.restock",
                RESTOCK_POLICY,
                sum("retry.calls", "name", RESTOCK_POLICY),
                sum("retry.attempts", "name", RESTOCK_POLICY));
    }

    public Map<String, DashboardView.Breaker> breakers() {
        Map<String, DashboardView.Breaker> breakers = new LinkedHashMap<>();
        policies.circuitBreakers().forEach((name, breaker) -> breakers.put(name, describe(breaker)));
        return breakers;
    }

    public Map<String, DashboardView.Bulkhead> bulkheads() {
        Map<String, DashboardView.Bulkhead> bulkheads = new LinkedHashMap<>();
        policies.bulkheads()
                .forEach((name, bulkhead) -> bulkheads.put(
                        name,
                        new DashboardView.Bulkhead(
                                bulkhead.currentConcurrentCalls(),
                                bulkhead.config().maxConcurrentCalls())));
        return bulkheads;
    }

    public DashboardView.Latency latency() {
        return new DashboardView.Latency(latency.phases());
    }

    public synchronized List<DashboardView.Point> points() {
        return new ArrayList<>(points);
    }

    /** Adds the point for the step that just ended; also callable directly, as tests do. */
    public synchronized void step() {
        DashboardView.Counters now = counters();
        Map<String, String> states = new LinkedHashMap<>();
        policies.circuitBreakers()
                .forEach((name, breaker) -> states.put(name, breaker.state().name()));
        SearchLatency.StepLatency searches = latency.takeStep();
        points.addLast(new DashboardView.Point(
                System.currentTimeMillis(),
                phase,
                now.calls() - previous.calls(),
                now.retries() - previous.retries(),
                now.fallbacks() - previous.fallbacks(),
                now.hedgesWon() - previous.hedgesWon(),
                now.rejected() - previous.rejected(),
                searches.hedgedP99(),
                searches.unhedgedP99(),
                states));
        while (points.size() > POINTS) {
            points.removeFirst();
        }
        previous = now;
    }

    /** The demo's one-line summary. */
    public String summaryLine(String phase) {
        DashboardView.Counters totals = counters();
        StringBuilder breakers = new StringBuilder();
        policies.circuitBreakers().forEach((name, breaker) -> {
            if (!name.equals("default")) {
                breakers.append(' ').append(name).append('=').append(breaker.state());
            }
        });
        return String.format(
                "[%s] calls=%d retries=%d fallbacks=%d hedges-won=%d rejected=%d timeouts=%d"
                        + " bulkhead-full=%d breakers:%s search p50/p99 hedged=%.0f/%.0f ms unhedged=%.0f/%.0f ms",
                phase,
                totals.calls(),
                totals.retries(),
                totals.fallbacks(),
                totals.hedgesWon(),
                totals.rejected(),
                totals.timeouts(),
                totals.bulkheadRejected(),
                breakers,
                latency.hedgedMillis(0.5),
                latency.hedgedMillis(0.99),
                latency.unhedgedMillis(0.5),
                latency.unhedgedMillis(0.99));
    }

    static DashboardView.Breaker describe(CircuitBreakerPolicy breaker) {
        CircuitBreakerSnapshot snapshot = breaker.snapshot();
        return new DashboardView.Breaker(
                snapshot.state().name(),
                snapshot.failureRate(),
                snapshot.slowCallRate(),
                snapshot.bufferedCalls(),
                snapshot.failedCalls(),
                snapshot.slowCalls(),
                snapshot.notPermittedCalls());
    }

    private long sum(String meter, String tagKey, String tagValue) {
        var search = meters.find(meter);
        if (tagKey != null) {
            search = search.tag(tagKey, tagValue);
        }
        double total = 0;
        for (Counter counter : search.counters()) {
            total += counter.count();
        }
        return (long) total;
    }
}
