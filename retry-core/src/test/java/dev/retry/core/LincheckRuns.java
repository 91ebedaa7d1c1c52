package dev.retry.core;

import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.verifier.EpsilonVerifier;

/**
 * How the {@code *LincheckTest} model checks run. Lincheck generates scenarios (a few operations on
 * each of a few threads), runs each under its own scheduler and tries its interleavings one by one,
 * switching threads at every shared read and write, which a stress test can only hope to meet.
 *
 * <p>They run on JDK 17 and JDK 25 alike: on 25, Lincheck 2.39 still finds a lost update between
 * two threads in a plain volatile field and in an {@code AtomicInteger} (checked when this was written).
 *
 * <p>The defaults keep each check to seconds inside {@code ./mvnw verify}; a deeper search multiplies
 * both numbers, e.g. {@code ./mvnw -pl retry-core test -Dtest='*LincheckTest' -Dlincheck.depth=20}.
 */
final class LincheckRuns {

    private static final int DEPTH = Integer.getInteger("lincheck.depth", 1);

    private LincheckRuns() {}

    /**
     * Model-checks the operations of {@code state}, a public class with a public constructor, whose
     * histories are not linearizable (each test says why): every result is accepted, and its
     * {@code @Validate} methods check the invariants after every interleaving instead.
     */
    static void checkInvariants(Class<?> state, int threads, int operationsPerThread) {
        LinCheckerKt.check(
                new ModelCheckingOptions()
                        .verifier(EpsilonVerifier.class)
                        .iterations(6 * DEPTH)
                        .invocationsPerIteration(100 * DEPTH)
                        .threads(threads)
                        .actorsPerThread(operationsPerThread)
                        .actorsBefore(0)
                        .actorsAfter(0),
                state);
    }
}
