package dev.retry.core;

import org.jspecify.annotations.Nullable;

/**
 * What NullAway cannot see for itself, said once.
 *
 * <p>A call's result type {@code T} is the caller's own, and may be a nullable one: a call that
 * returns null returns null through every policy. The public facade says so, with {@code T
 * extends @Nullable Object}, but NullAway reads such a bound only in its JSpecify mode, which needs JDK 22
 * or later (javac before it drops type-use annotations it reads from class files), while the core
 * is checked on JDK 17. The few package-private methods that hand a call's result back therefore
 * carry {@code @SuppressWarnings("NullAway")} and point here.
 */
final class Nullness {

    private Nullness() {}

    /**
     * Returns {@code value}, which the caller knows is not null where the checker cannot: an {@link
     * java.util.concurrent.atomic.AtomicReference} made with a value and never set to null, whose
     * {@code get()} NullAway takes for nullable. Named in the build as NullAway's {@code
     * CastToNonNullMethod}, so that it warns when a value already known to be non-null is passed.
     */
    @SuppressWarnings("NullAway") // the one place that claims it: that is what the method is for
    static <T> T castToNonNull(@Nullable T value) {
        assert value != null : "a reference the caller declared never null was null";
        return value;
    }
}
