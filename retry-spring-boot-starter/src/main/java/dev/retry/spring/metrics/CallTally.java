package dev.retry.spring.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The calls of one breaker outcome and their total time, as striped sums: what a call adds costs
 * what two uncontended {@link LongAdder} increments cost, however many threads share the breaker,
 * and a {@link io.micrometer.core.instrument.FunctionTimer} reads the sums when the registry is
 * scraped. Count and total are read one after the other, so a scrape that races a call may see its
 * count without its time, never a count that is lost.
 */
final class CallTally {

    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();

    void add(long durationNanos) {
        count.increment();
        totalNanos.add(durationNanos);
    }

    long count() {
        return count.sum();
    }

    double totalNanos() {
        return totalNanos.sum();
    }
}
