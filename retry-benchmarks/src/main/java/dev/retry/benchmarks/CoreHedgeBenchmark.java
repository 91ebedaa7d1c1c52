package dev.retry.benchmarks;

import dev.retry.core.HedgePolicy;
import dev.retry.core.Pipeline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A hedged call whose first attempt answers long before the hedge delay: the price of being ready
 * to hedge. A synchronous hedge runs its attempts on other threads (so that the caller can return
 * the moment any of them wins), so its floor is not the direct call but handing the call to a pool
 * thread and waiting for it, {@code executorHop}, which is measured beside it. None of the rivals
 * hedges a synchronous call, so this group compares {@code retry} with those two floors only.
 *
 * <p>{@link #hedgeFromVirtualThread()} is {@link #hedge()} called from a virtual thread, as a Spring
 * Boot application with {@code spring.threads.virtual.enabled} serves its requests. On JDK 24 and
 * later the hedge runs its attempts on virtual threads too, and a virtual caller that parks hands
 * its carrier straight to the attempt: no platform thread is woken, which is what a hop from a
 * platform thread costs. It needs JDK 21 or later (JMH's {@code jmh.executor=VIRTUAL}): {@code
 * bench/run} leaves it out of its main run on an older JDK, and runs it with {@link #hedge()} a
 * second time on a JDK 25 or newer when it finds one ({@code BENCH_JDK25_HOME}), for the report's
 * section "Core: a synchronous hedge on JDK 25" and its target of at most 3 µs per call. A {@code
 * -jvmArgsAppend} given on the command line replaces the {@code @Fork}'s below, and with it the
 * virtual executor.
 *
 * <p>{@link #hedgeAsync()} is the same hedge around a call that returns a future already complete:
 * nothing needs another thread, so its floor is the bare future the call itself makes ({@code
 * direct}); {@code executorHop} completes that future on a pool thread instead.
 *
 * <pre>{@code
 * ./mvnw -q -Pbenchmarks -pl retry-benchmarks -am package -DskipTests
 * java -jar retry-benchmarks/target/benchmarks.jar CoreHedgeBenchmark -prof gc
 * $JDK25/bin/java -jar retry-benchmarks/target/benchmarks.jar \
 *     'CoreHedgeBenchmark\.(hedge|hedgeFromVirtualThread)$' -prof gc -rf json -rff target/jmh-jdk25.json
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
public class CoreHedgeBenchmark {

    @Param({"direct", "executorHop", "retry"})
    String library;

    /** A field, not a constant, so that the compiler cannot fold the call away. */
    String request;

    ProtectedCall call;
    /** The asynchronous call as each variant makes it; built once, so that it allocates nothing itself. */
    Supplier<CompletableFuture<String>> asyncCall;
    /** The pool of the {@code executorHop} floor: a cached pool, like the hedge's default executor. */
    ExecutorService pool;

    @Setup
    public void setUp() throws Exception {
        request = "order-42";
        switch (library) {
            case "direct":
                call = CoreCalls.direct();
                asyncCall = this::userFuture;
                break;
            case "executorHop":
                pool = Executors.newCachedThreadPool(runnable -> {
                    Thread thread = new Thread(runnable, "executor-hop");
                    thread.setDaemon(true);
                    return thread;
                });
                ExecutorService hop = pool;
                call = request -> hop.submit(() -> Downstream.call(request)).get();
                asyncCall = () -> CompletableFuture.supplyAsync(() -> Downstream.call(request), hop);
                break;
            case "retry":
                call = CoreCalls.hedge();
                Pipeline hedged = Pipeline.builder()
                        .hedge(HedgePolicy.builder()
                                .delay(CoreCalls.HEDGE_DELAY)
                                .maxHedges(1)
                                .build())
                        .build();
                Supplier<CompletionStage<String>> attempt = this::userFuture;
                asyncCall = () -> hedged.callAsync(attempt);
                break;
            default:
                throw new IllegalArgumentException("no such library in this benchmark: " + library);
        }
        Checks.succeeds(call, request);
        if (!asyncCall.get().join().equals(call.call(request))) {
            throw new IllegalStateException(library + ": the asynchronous call answers differently");
        }
    }

    /** The user's own future: the one allocation every asynchronous variant makes. */
    private CompletableFuture<String> userFuture() {
        return CompletableFuture.completedFuture(Downstream.call(request));
    }

    @TearDown
    public void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Benchmark
    public String hedge() throws Exception {
        return call.call(request);
    }

    @Benchmark
    @Fork(
            value = 2,
            jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djmh.executor=VIRTUAL"})
    public String hedgeFromVirtualThread() throws Exception {
        return call.call(request);
    }

    /**
     * Where every variant leaves the future it got, so that the user's own future escapes in each:
     * without it, the direct variant's future never leaves the benchmark method, the JIT removes it,
     * and the user's allocation would look like ours.
     */
    @Nullable
    CompletableFuture<String> lastFuture;

    @Benchmark
    public String hedgeAsync() {
        CompletableFuture<String> future = asyncCall.get();
        lastFuture = future;
        return future.join();
    }
}
