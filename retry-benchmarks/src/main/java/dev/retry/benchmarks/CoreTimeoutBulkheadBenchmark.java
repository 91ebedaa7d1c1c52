package dev.retry.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.Pipeline;
import dev.retry.core.TimeoutPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
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
 * A per-attempt timeout that never fires and a bulkhead that always has a permit: the price of
 * arming and disarming one timer, and of taking and returning one permit, per call. Failsafe is the
 * rival with both as synchronous policies; Resilience4j's time limiter works on futures only.
 * {@link #timeoutAsync()} is the timeout around a call that returns a future already complete; its
 * floor ({@code direct}) is that bare future.
 *
 * <pre>{@code
 * ./mvnw -q -Pbenchmarks -pl retry-benchmarks -am package -DskipTests
 * java -jar retry-benchmarks/target/benchmarks.jar CoreTimeoutBulkheadBenchmark -prof gc
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
public class CoreTimeoutBulkheadBenchmark {

    /** A limit far above the call's own time, so that it never fires; the contract's default. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private static final int PERMITS = 25;

    @Param({"direct", "retry", "failsafe"})
    String library;

    /** A field, not a constant, so that the compiler cannot fold the call away. */
    String request;

    ProtectedCall timeout;
    ProtectedCall bulkhead;
    /** Built once, so that it allocates nothing itself. */
    Supplier<CompletableFuture<String>> timeoutAsync;

    @Setup
    public void setUp() throws Exception {
        request = "order-42";
        switch (library) {
            case "direct":
                timeout = Downstream::call;
                bulkhead = Downstream::call;
                timeoutAsync = this::userFuture;
                break;
            case "retry":
                timeout = through(Pipeline.builder()
                        .timeout(TimeoutPolicy.builder().duration(TIMEOUT).build())
                        .build());
                bulkhead = through(Pipeline.builder()
                        .bulkhead(BulkheadPolicy.builder()
                                .maxConcurrentCalls(PERMITS)
                                .build())
                        .build());
                Pipeline timed = Pipeline.builder()
                        .timeout(TimeoutPolicy.builder().duration(TIMEOUT).build())
                        .build();
                Supplier<CompletionStage<String>> attempt = this::userFuture;
                timeoutAsync = () -> timed.callAsync(attempt);
                break;
            case "failsafe":
                timeout = through(Failsafe.with(dev.failsafe.Timeout.<String>builder(TIMEOUT)
                        .withInterrupt()
                        .build()));
                bulkhead = through(Failsafe.with(
                        dev.failsafe.Bulkhead.<String>builder(PERMITS).build()));
                FailsafeExecutor<String> timedByFailsafe = Failsafe.with(
                        dev.failsafe.Timeout.<String>builder(TIMEOUT).build());
                timeoutAsync = () -> timedByFailsafe.getStageAsync(this::userFuture);
                break;
            default:
                throw new IllegalArgumentException("unknown library " + library);
        }
        timeout = Checks.succeeds(timeout, request);
        bulkhead = Checks.succeeds(bulkhead, request);
        if (!timeoutAsync.get().join().equals(timeout.call(request))) {
            throw new IllegalStateException(library + ": the asynchronous call answers differently");
        }
    }

    /** The user's own future: the one allocation every asynchronous variant makes. */
    private CompletableFuture<String> userFuture() {
        return CompletableFuture.completedFuture(Downstream.call(request));
    }

    @Benchmark
    public String timeout() throws Exception {
        return timeout.call(request);
    }

    /**
     * Where every variant leaves the future it got, so that the user's own future escapes in each:
     * without it, the direct variant's future never leaves the benchmark method, the JIT removes it,
     * and the user's allocation would look like ours.
     */
    @Nullable
    CompletableFuture<String> lastFuture;

    @Benchmark
    public String timeoutAsync() {
        CompletableFuture<String> future = timeoutAsync.get();
        lastFuture = future;
        return future.join();
    }

    @Benchmark
    public String bulkhead() throws Exception {
        return bulkhead.call(request);
    }

    private static ProtectedCall through(Pipeline pipeline) {
        return request -> pipeline.call(Downstream.FUNCTION, request);
    }

    private static ProtectedCall through(FailsafeExecutor<String> executor) {
        return request -> executor.get(() -> Downstream.call(request));
    }
}
