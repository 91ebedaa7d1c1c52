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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A retry policy around a call that succeeds: what a retry costs when it has nothing to do, which is
 * nearly every call it ever sees. {@code retry}'s pipeline against Resilience4j, Failsafe, Spring
 * Framework 7's {@code RetryTemplate} and Spring Retry's, each set to 3 attempts (see {@link
 * CoreCalls}), and the direct call as the floor.
 *
 * <pre>{@code
 * ./mvnw -q -Pbenchmarks -pl retry-benchmarks -am package -DskipTests
 * java -jar retry-benchmarks/target/benchmarks.jar CoreRetryBenchmark -prof gc
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
public class CoreRetryBenchmark {

    @Param({"direct", "retry", "resilience4j", "failsafe", "springRetryTemplate", "springRetry"})
    String library;

    /** A field, not a constant, so that the compiler cannot fold the call away. */
    String request;

    ProtectedCall call;

    @Setup
    public void setUp() throws Exception {
        request = "order-42";
        call = Checks.succeeds(CoreCalls.retry(library), request);
    }

    @Benchmark
    public String retry() throws Exception {
        return call.call(request);
    }
}
