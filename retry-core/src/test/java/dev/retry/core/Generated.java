package dev.retry.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Checks a law over many generated cases, the way a property-based test does, with plain JUnit.
 *
 * <p>Every law draws from its own source seeded with {@code retry.test.seed}, so a run is
 * reproducible and CI sees the same cases every time; a failure names the case, its number and the
 * seed. To search further than CI does, run with another seed and more cases, e.g. {@code
 * -Dretry.test.seed=7 -Dretry.test.cases-factor=50}. The ends of every range come up far more often
 * than chance would pick them, because that is where rules break.
 *
 * <p>Why not jqwik: from 1.10 on its maintainers ask that it not be used with AI coding agents,
 * and this code base is written with them.
 */
final class Generated {

    private static final long SEED = Long.getLong("retry.test.seed", 20_261_202L);
    private static final int CASES_FACTOR = Integer.getInteger("retry.test.cases-factor", 1);

    /** How often a drawn number is one of its range's two ends instead of a uniform pick: 1 in 8. */
    private static final int ONE_END_IN = 8;

    private Generated() {}

    /** Generates {@code cases} values (times the cases factor) and holds each to the law. */
    static <C> void check(int cases, Function<Draw, C> generator, Consumer<C> law) {
        Draw draw = new Draw(new SplittableRandom(SEED));
        int total = cases * CASES_FACTOR;
        for (int i = 1; i <= total; i++) {
            C generated = generator.apply(draw);
            try {
                law.accept(generated);
            } catch (AssertionError | RuntimeException broken) {
                throw new AssertionError(
                        "case " + i + " of " + total + " (retry.test.seed=" + SEED + ") breaks the law: " + generated
                                + "\n" + broken.getMessage(),
                        broken);
            }
        }
    }

    /** Values drawn from one seeded source. */
    static final class Draw {

        private final SplittableRandom random;

        Draw(SplittableRandom random) {
            this.random = random;
        }

        /** A long in {@code [min, max]}, both ends included. */
        long longBetween(long min, long max) {
            int pick = random.nextInt(ONE_END_IN * 2);
            if (pick == 0 || min == max) {
                return min;
            }
            if (pick == 1) {
                return max;
            }
            // nextLong's bound is exclusive; max + 1 would overflow at Long.MAX_VALUE, where max itself is left to the
            // ends
            return max == Long.MAX_VALUE ? random.nextLong(min, max) : random.nextLong(min, max + 1);
        }

        /** An int in {@code [min, max]}, both ends included. */
        int intBetween(int min, int max) {
            return (int) longBetween(min, max);
        }

        /**
         * A long in {@code [0, max]} spread over every scale: a bit length is drawn first, so
         * single digits come up as often as numbers near {@code max}.
         */
        long anyScaleUpTo(long max) {
            int bits = random.nextInt(64 - Long.numberOfLeadingZeros(max) + 1);
            long scale = bits == 63 ? Long.MAX_VALUE : (1L << bits) - 1;
            return longBetween(0, Math.min(max, scale));
        }

        /** A double in {@code [min, max)}; {@code min} one time in eight. */
        double doubleFrom(double min, double maxExcluded) {
            if (random.nextInt(ONE_END_IN) == 0) {
                return min;
            }
            return random.nextDouble(min, maxExcluded);
        }

        /** A double in {@code [min, max]}, both ends included. */
        double doubleBetween(double min, double max) {
            int pick = random.nextInt(ONE_END_IN * 2);
            if (pick == 0 || min == max) {
                return min;
            }
            if (pick == 1) {
                return max;
            }
            return random.nextDouble(min, max);
        }

        <E extends Enum<E>> E oneOf(Class<E> type) {
            E[] constants = type.getEnumConstants();
            return constants[random.nextInt(constants.length)];
        }

        /** True with the given chance. */
        boolean chance(double probability) {
            return random.nextDouble() < probability;
        }

        long anyLong() {
            return random.nextLong();
        }

        <T> List<T> listOf(int minSize, int maxSize, Supplier<T> element) {
            int size = intBetween(minSize, maxSize);
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.get());
            }
            return list;
        }
    }
}
