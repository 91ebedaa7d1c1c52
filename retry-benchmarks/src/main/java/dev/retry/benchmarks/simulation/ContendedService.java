package dev.retry.benchmarks.simulation;

import dev.retry.test.VirtualClock;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * A service that can work on only so many requests at once and refuses the rest straight away, as
 * a row under optimistic concurrency lets one write through and fails those racing it. A refused
 * request does no work and frees nothing: its client learns of the refusal after the same latency
 * as an answer, as it would learn of a write that lost the race at commit.
 *
 * <p>It also blips: every request arriving before {@code blipEnd} fails, whatever the load, which
 * is what lines a crowd of clients up to retry together.
 */
final class ContendedService {

    private final VirtualClock clock;
    private final int capacity;
    private final LongSupplier latencyNanos;
    private final long blipEnd;
    private final long bucketNanos;
    private long[] arrivals = new long[1024];
    private int inFlight;
    private long calls;
    private long refused;

    /**
     * @param capacity requests it works on at once
     * @param latencyNanos draws how long one request takes, answered or refused
     * @param blipEnd until when (ns since the start) it fails every request
     * @param bucketNanos the length of the buckets arrivals are counted in
     */
    ContendedService(VirtualClock clock, int capacity, LongSupplier latencyNanos, long blipEnd, long bucketNanos) {
        this.clock = clock;
        this.capacity = capacity;
        this.latencyNanos = latencyNanos;
        this.blipEnd = blipEnd;
        this.bucketNanos = bucketNanos;
    }

    /** One request: the future completes when the answer (or the refusal) arrives. */
    CompletableFuture<String> call() {
        long now = clock.elapsed().toNanos();
        calls++;
        int bucket = (int) (now / bucketNanos);
        if (bucket >= arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, Math.max(bucket + 1, arrivals.length * 2));
        }
        arrivals[bucket]++;
        CompletableFuture<String> answer = new CompletableFuture<>();
        long latency = latencyNanos.getAsLong();
        if (now < blipEnd || inFlight >= capacity) {
            refused++;
            clock.schedule(() -> answer.completeExceptionally(SimulatedService.ServiceDownException.INSTANCE), latency);
            return answer;
        }
        inFlight++;
        clock.schedule(
                () -> {
                    inFlight--;
                    answer.complete("ok");
                },
                latency);
        return answer;
    }

    /** Requests that reached the service, refused ones included. */
    long calls() {
        return calls;
    }

    /** Requests it refused, in the blip or for want of capacity. */
    long refused() {
        return refused;
    }

    /** The most requests that arrived in one bucket from {@code fromNanos} on. */
    long busiestBucketFrom(long fromNanos) {
        long busiest = 0;
        for (int b = (int) (fromNanos / bucketNanos); b < arrivals.length; b++) {
            busiest = Math.max(busiest, arrivals[b]);
        }
        return busiest;
    }
}
