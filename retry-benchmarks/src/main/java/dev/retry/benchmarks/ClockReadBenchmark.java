package dev.retry.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One read of the JVM's monotonic clock, {@code System.nanoTime()}: what a meter that times a call
 * pays twice. Measured in the same run as {@link SpringBootApplicationBenchmark}, so that its target
 * (meters on at most meters off plus two clock reads plus 10 ns) is judged with this machine's clock.
 *
 * <pre>{@code
 * java -jar retry-benchmarks/target/benchmarks.jar ClockReadBenchmark
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2)
public class ClockReadBenchmark {

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }
}
