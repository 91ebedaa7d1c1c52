package dev.retry.benchmarks;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A circuit breaker recording successes, from one thread and from two sharing the breaker: a
 * breaker's every call writes to its window, so how it behaves under contention matters as much as
 * its cost alone. {@code retry} against Resilience4j and Failsafe, each with a count window of 100
 * calls opening at 50 % (see {@link CoreCalls}); the Spring templates have no such breaker.
 *
 * <pre>{@code
 * ./mvnw -q -Pbenchmarks -pl retry-benchmarks -am package -DskipTests
 * java -jar retry-benchmarks/target/benchmarks.jar CoreBreakerBenchmark -prof gc
 * }</pre>
 *
 * <p>With two threads, JMH reports the time per call of each thread, so a breaker that serialises
 * its callers shows it as a longer time per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CoreBreakerBenchmark {

    @Param({"direct", "retry", "retryExactClock", "resilience4j", "failsafe"})
    String library;

    /** A field, not a constant, so that the compiler cannot fold the call away. */
    String request;
    /** One breaker for the whole trial, shared by both threads of {@link #breakerTwoThreads}. */
    ProtectedCall call;

    @Setup
    public void setUp() throws Exception {
        request = "order-42";
        call = Checks.succeeds(CoreCalls.breaker(library), request);
    }

    @Benchmark
    @Threads(1)
    public String breaker() throws Exception {
        return call.call(request);
    }

    @Benchmark
    @Threads(2)
    public String breakerTwoThreads() throws Exception {
        return call.call(request);
    }
}
