package dev.retry.benchmarks.simulation;

import dev.retry.test.VirtualClock;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * A downstream service in virtual time: each request is answered, after a latency drawn for it,
 * by completing its future from an event on the clock. Whether it fails is decided when it
 * arrives, from the time: the scenarios say when the service is down.
 */
final class SimulatedService {

    private final VirtualClock clock;
    private final LongSupplier latencyNanos;
    private final LongPredicate downAt;
    private long attempts;
    private long attemptsWhileDown;
    private long[] perSecond = new long[64];
    private long capacityPerSlice = Long.MAX_VALUE;
    private long slice = -1;
    private long inSlice;

    /**
     * @param latencyNanos draws the latency of one request
     * @param downAt whether a request arriving this long (ns) after the start fails
     */
    SimulatedService(VirtualClock clock, LongSupplier latencyNanos, LongPredicate downAt) {
        this.clock = clock;
        this.latencyNanos = latencyNanos;
        this.downAt = downAt;
    }

    /**
     * Gives the service a capacity: beyond {@code requests} in any slice of {@value #SLICE} ns, it
     * fails the rest at once, as a server shedding load would. What makes a retry storm outlast the
     * outage that caused it: retries of failed calls can keep it over capacity after it is back.
     */
    SimulatedService capacity(long requests) {
        this.capacityPerSlice = requests;
        return this;
    }

    /** The length of the slices capacity is counted over. */
    static final long SLICE = 100_000_000L;

    private boolean overloaded() {
        long current = clock.elapsed().toNanos() / SLICE;
        if (current != slice) {
            slice = current;
            inSlice = 0;
        }
        return ++inSlice > capacityPerSlice;
    }

    /** One request: the future completes when the simulated answer arrives. */
    CompletableFuture<String> call() {
        attempts++;
        int second = (int) (clock.elapsed().toNanos() / 1_000_000_000L);
        if (second >= perSecond.length) {
            perSecond = java.util.Arrays.copyOf(perSecond, Math.max(second + 1, perSecond.length * 2));
        }
        perSecond[second]++;
        boolean down = downAt.test(clock.elapsed().toNanos()) || overloaded();
        if (down) {
            attemptsWhileDown++;
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        clock.schedule(
                () -> {
                    if (down) {
                        answer.completeExceptionally(ServiceDownException.INSTANCE);
                    } else {
                        answer.complete("ok");
                    }
                },
                latencyNanos.getAsLong());
        return answer;
    }

    /** Requests that reached the service. */
    long attempts() {
        return attempts;
    }

    /** Requests that arrived in the given second since the start. */
    long attemptsInSecond(int second) {
        return second < perSecond.length ? perSecond[second] : 0;
    }

    /** Requests that reached it while it was down: load it could do nothing with. */
    long attemptsWhileDown() {
        return attemptsWhileDown;
    }

    /** The failure of a request to a service that is down. */
    static final class ServiceDownException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** One shared instance without a stack trace: thousands are thrown and none is read. */
        static final ServiceDownException INSTANCE = new ServiceDownException();

        private ServiceDownException() {
            super("service down", null, false, false);
        }
    }
}
