package dev.retry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The checks every builder makes, so that every option is refused in the same words, with an
 * {@link InvalidOptionException} that names the option, the value and what is allowed.
 */
final class Options {

    static final String ZERO_OR_MORE = "a duration of zero or more";
    static final String MORE_THAN_ZERO = "a duration of more than zero";
    static final String PERCENTAGE = "a percentage above 0 and at most 100";

    /**
     * The largest budget ratio: a hundred extra attempts per call is far past any sensible budget,
     * and a bound keeps the allowance ({@code ratio * calls}) from overflowing into no allowance at all.
     */
    static final double MAX_BUDGET_RATIO = 100.0;

    private Options() {}

    /** Refuses to set an option a second time, so a later line cannot silently undo an earlier one. */
    static void requireUnset(@Nullable Object current, String option) {
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
            throw InvalidOptionException.of(option, Durations.format(duration), ZERO_OR_MORE);
        }
        return duration;
    }

    static Duration requirePositive(Duration duration, String option) {
        Objects.requireNonNull(duration, option + " must not be null");
        if (duration.isNegative() || duration.isZero()) {
            throw InvalidOptionException.of(option, Durations.format(duration), MORE_THAN_ZERO);
        }
        return duration;
    }

    /** A whole number of at least {@code min}. */
    static int requireAtLeast(int value, int min, String option) {
        if (value < min) {
            throw InvalidOptionException.of(option, value, "a whole number of at least " + min);
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}. */
    static int requireBetween(int value, int min, int max, String option) {
        if (value < min || value > max) {
            throw InvalidOptionException.of(option, value, "a whole number from " + min + " to " + max);
        }
        return value;
    }

    static float requirePercentage(float percent, String option) {
        if (!(percent > 0f && percent <= 100f)) {
            throw InvalidOptionException.of(option, percent, PERCENTAGE);
        }
        return percent;
    }

    static double requireMultiplier(double multiplier, String option) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw InvalidOptionException.of(option, multiplier, "a finite number of at least 1.0");
        }
        return multiplier;
    }

    /** A budget's ratio of extra attempts to calls: 0 (no budget) to {@value #MAX_BUDGET_RATIO}. */
    static double requireBudgetRatio(double ratio, String option) {
        if (!(ratio >= 0.0 && ratio <= MAX_BUDGET_RATIO)) {
            throw InvalidOptionException.of(option, ratio, "a number from 0.0 to " + MAX_BUDGET_RATIO);
        }
        return ratio;
    }

    /** An immutable list of failure types, refusing nulls by position. */
    static List<Class<? extends Throwable>> requireTypes(Class<?>[] types, String option) {
        Objects.requireNonNull(types, option + " must not be null");
        List<Class<? extends Throwable>> list = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            if (types[i] == null) {
                throw new NullPointerException(option + " must not contain null, but element " + i + " was null");
            }
            if (!Throwable.class.isAssignableFrom(types[i])) {
                // Reachable past the generics by a raw array or a binder that converts class names.
                throw InvalidOptionException.of(option, types[i].getName(), "a list of Throwable types");
            }
            list.add(types[i].asSubclass(Throwable.class));
        }
        return List.copyOf(list);
    }
}
