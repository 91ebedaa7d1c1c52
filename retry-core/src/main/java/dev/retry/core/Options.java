package dev.retry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The checks every builder makes, so that every option is refused in the same words. */
final class Options {

    private Options() {
    }

    /** Refuses to set an option a second time, so a later line cannot silently undo an earlier one. */
    static void requireUnset(Object current, String option) {
        if (current != null) {
            throw new IllegalStateException(option + " was already set (to " + current + "); set each option once");
        }
    }

    static String requireName(String name) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return name;
    }

    static Duration requireNotNegative(Duration duration, String option) {
        Objects.requireNonNull(duration, option + " must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(option + " must be zero or more, but was " + Durations.format(duration));
        }
        return duration;
    }

    static Duration requirePositive(Duration duration, String option) {
        Objects.requireNonNull(duration, option + " must not be null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(option + " must be more than zero, but was " + Durations.format(duration));
        }
        return duration;
    }

    static float requirePercentage(float percent, String option) {
        if (!(percent > 0f && percent <= 100f)) {
            throw new IllegalArgumentException(option + " must be a percentage above 0 and at most 100, but was " + percent);
        }
        return percent;
    }

    static double requireMultiplier(double multiplier, String option) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(option + " must be a finite number of at least 1.0, but was " + multiplier);
        }
        return multiplier;
    }

    /** An immutable list of failure types, refusing nulls by position. */
    static List<Class<? extends Throwable>> requireTypes(Class<?>[] types, String option) {
        Objects.requireNonNull(types, option + " must not be null");
        List<Class<? extends Throwable>> list = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            if (types[i] == null) {
                throw new NullPointerException(option + " must not contain null, but element " + i + " was null");
            }
            list.add(types[i].asSubclass(Throwable.class));
        }
        return List.copyOf(list);
    }
}
