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
 * A retry around a circuit breaker, the pair most services put around a remote call, when the call
 * succeeds. {@code retry}'s pipeline, which promises to allocate nothing on this path, against
 * Resilience4j's decorators and Failsafe's composed policies (see {@link CoreCalls}).
 *
 * <pre>{@code
 * ./mvnw -q -Pbenchmarks -pl retry-benchmarks -am package -DskipTests
 * java -jar retry-benchmarks/target/benchmarks.jar CoreRetryBreakerBenchmark -prof gc
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
public class CoreRetryBreakerBenchmark {

    @Param({"direct", "retry", "retryExactClock", "resilience4j", "failsafe"})
    String library;

    /** A field, not a constant, so that the compiler cannot fold the call away. */
    String request;

    ProtectedCall call;

    @Setup
    public void setUp() throws Exception {
        request = "order-42";
        call = Checks.succeeds(CoreCalls.retryBreaker(library), request);
    }

    @Benchmark
    public String retryBreaker() throws Exception {
        return call.call(request);
    }
}
