package dev.retry.sample.dashboard;

import dev.retry.sample.SearchLatency;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/dashboard} answers: everything the page at {@code /} draws, in one document.
 *
 * @param phase the demo traffic's current phase ({@code healthy}, {@code flaky}, {@code slow-tail},
 *     {@code outage}, {@code recovery}), or {@code manual} while the demo is off
 * @param faults the faults the downstream service is injecting now
 * @param breakers every circuit breaker by name, as {@code /actuator/circuitbreakers} shows it
 * @param bulkheads every bulkhead by name: calls holding a permit now, and the limit
 * @param counters totals since start
 * @param latency search latency with and without hedging, per phase
 * @param selfInvocation the calls {@code Restocking.restockAll} makes to its own {@code restock} through {@code
 *     this}, and their retries
 * @param timeline one point every {@value Timeline#STEP_SECONDS} seconds, oldest first, for the last minutes
 */
public record DashboardView(
        String phase,
        Faults faults,
        Map<String, Breaker> breakers,
        Map<String, Bulkhead> bulkheads,
        Counters counters,
        Latency latency,
        SelfInvocation selfInvocation,
        List<Point> timeline) {

    /**
     * A method's calls from inside its own object, which only a woven aspect can retry.
     *
     * @param method the method called through {@code this}
     * @param policy the retry policy it names
     * @param calls its calls, as {@code retry.calls} of the policy counts them
     * @param retries their retries, as {@code retry.attempts} of the policy counts them: more than none
     *     only because the call went through the aspect
     */
    public record SelfInvocation(String method, String policy, long calls, long retries) {}

    /** A bulkhead's occupancy: calls holding a permit now, out of {@code maxConcurrentCalls}. */
    public record Bulkhead(int concurrentCalls, int maxConcurrentCalls) {}

    /** The downstream's faults: shares are fractions from 0 to 1. */
    public record Faults(
            String preset,
            double errorRate,
            double retryAfterRate,
            double rateLimitRate,
            double dropRate,
            double slowShare,
            boolean outage) {}

    public record Breaker(
            String state,
            float failureRate,
            float slowCallRate,
            int bufferedCalls,
            int failedCalls,
            int slowCalls,
            long notPermittedCalls) {}

    /**
     * @param calls calls made through a retry policy
     * @param retries retries made (first attempts not counted)
     * @param fallbacks failures answered by a fallback
     * @param hedgesWon calls won by a hedge rather than the first attempt
     * @param rejected calls refused by an open breaker
     * @param budgetExhausted retries refused by a retry budget
     * @param timeouts attempts that ran out of time
     * @param bulkheadRejected calls a full bulkhead refused
     */
    public record Counters(
            long calls,
            long retries,
            long fallbacks,
            long hedgesWon,
            long rejected,
            long budgetExhausted,
            long timeouts,
            long bulkheadRejected) {}

    /**
     * @param phases per fault the searches ran under, in the order the faults first came: the
     *     percentiles of its own searches, and the hedges they started
     */
    public record Latency(List<SearchLatency.PhaseLatency> phases) {}

    /**
     * One step of the timeline: what happened during the {@value Timeline#STEP_SECONDS} seconds
     * before {@code time}.
     *
     * @param time epoch milliseconds at the end of the step
     * @param hedgedP99 the p99 of the searches made during this step with hedging, in milliseconds; 0 for none
     * @param unhedgedP99 likewise, without hedging
     * @param breakers each breaker's state at that moment
     */
    public record Point(
            long time,
            String phase,
            long calls,
            long retries,
            long fallbacks,
            long hedgesWon,
            long rejected,
            double hedgedP99,
            double unhedgedP99,
            Map<String, String> breakers) {}
}
