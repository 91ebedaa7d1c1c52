package dev.retry.core;

import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.verifier.EpsilonVerifier;
import org.junit.jupiter.api.Assumptions;

/**
 * How the {@code *LincheckTest} model checks run. Lincheck generates scenarios (a few operations on
 * each of a few threads), runs each under its own scheduler and tries its interleavings one by one,
 * switching threads at every shared read and write, which a stress test can only hope to meet.
 *
 * <p>The defaults keep each check to seconds inside {@code ./mvnw verify}; a deeper search multiplies
 * both numbers, e.g. {@code ./mvnw -pl retry-core test -Dtest='*LincheckTest' -Dlincheck.depth=20}.
 */
final class LincheckRuns {

    private static final int DEPTH = Integer.getInteger("lincheck.depth", 1);

    /**
     * The newest Java whose class files Lincheck 2.39's instrumentation (its ASM) can read. On a newer
     * JDK it cannot transform the JDK's own classes, and a "passing" run would have checked nothing,
     * so the checks are skipped there, visibly, instead. The JDK 17 build runs them.
     */
    private static final int NEWEST_JAVA_LINCHECK_READS = 24;

    private LincheckRuns() {
    }

    /**
     * Model-checks the operations of {@code state}, a public class with a public constructor, whose
     * histories are not linearizable (each test says why): every result is accepted, and its
     * {@code @Validate} methods check the invariants after every interleaving instead.
     */
    static void checkInvariants(Class<?> state, int threads, int operationsPerThread) {
        int java = Runtime.version().feature();
        Assumptions.assumeTrue(java <= NEWEST_JAVA_LINCHECK_READS, () -> "Lincheck 2.39 instruments class files up"
                + " to Java " + NEWEST_JAVA_LINCHECK_READS + " only; on JDK " + java
                + " its model checks are skipped (the JDK 17 build runs them)");
        LinCheckerKt.check(new ModelCheckingOptions().verifier(EpsilonVerifier.class)
                .iterations(6 * DEPTH).invocationsPerIteration(100 * DEPTH)
                .threads(threads).actorsPerThread(operationsPerThread).actorsBefore(0).actorsAfter(0), state);
    }
}
