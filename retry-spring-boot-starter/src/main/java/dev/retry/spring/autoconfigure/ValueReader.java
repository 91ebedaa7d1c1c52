package dev.retry.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.retry.spring.autoconfigure.InvalidRetryConfigurationException.Problem;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;

/**
 * Turns the text of one setting into its value, or records why it cannot. Each method returns
 * {@code null} for a bad value after recording the problem, so that reading goes on and every bad
 * value is reported at once.
 *
 * <p>Problems are kept by path: a bad value in a section's {@code default} entry is read again for
 * every entry that inherits it, and is reported once, under the path where it is written.
 */
final class ValueReader {

    private static final String DURATION_EXAMPLES = "such as 100ms, 2s, 1m or PT0.5S";

    /** A plain decimal: no hexadecimal, no NaN or Infinity, no Java suffix such as {@code 2d}. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");

    private static final Set<String> TRUE = Set.of("true", "on", "yes", "1");

    private static final Set<String> FALSE = Set.of("false", "off", "no", "0");

    private static final Pattern PERCENTILE = Pattern.compile("[pP](\\d+(\\.\\d+)?)");

    private final @Nullable ClassLoader classLoader;
    private final Map<String, Problem> problems = new LinkedHashMap<>();
    private int reports;

    ValueReader(@Nullable ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Every problem recorded, each path once, in the order found. */
    List<Problem> problems() {
        return List.copyOf(problems.values());
    }

    /**
     * How many problems have been reported, repeats included: a caller compares it before and after
     * reading an entry to learn whether that entry, inherited values included, is sound.
     */
    int reports() {
        return reports;
    }

    void report(String path, String value, String allowed) {
        reports++;
        problems.putIfAbsent(path, new Problem(path, value, allowed));
    }

    /** A whole number from {@code min} to {@code max}. */
    @Nullable Integer wholeNumber(Setting<String> setting, int min, int max) {
        String allowed = max == Integer.MAX_VALUE
                ? "a whole number of at least " + min
                : "a whole number from " + min + " to " + max;
        Long number = parseWhole(setting.value());
        if (number != null && number >= min && number <= max) {
            return number.intValue();
        }
        report(setting.path(), setting.value(), allowed);
        return null;
    }

    /**
     * A finite decimal number at least {@code min} (or above it, when {@code minExcluded}) and at
     * most {@code max}.
     */
    @Nullable Double number(Setting<String> setting, double min, boolean minExcluded, double max, String allowed) {
        String text = setting.value().trim();
        if (DECIMAL.matcher(text).matches()) {
            double number = Double.parseDouble(text);
            boolean aboveMin = minExcluded ? number > min : number >= min;
            if (aboveMin && number <= max) {
                return number;
            }
        }
        report(setting.path(), setting.value(), allowed);
        return null;
    }

    /** A percentage above 0 and at most 100. */
    @Nullable Float percentage(Setting<String> setting) {
        Double percent = number(setting, 0.0, true, 100.0, "a percentage above 0 and at most 100");
        return percent != null ? percent.floatValue() : null;
    }

    /**
     * A duration in Spring Boot's notation ({@code 100ms}, {@code 2s}, a plain number of
     * milliseconds) or ISO-8601 ({@code PT0.5S}), zero or more, or more than zero when {@code
     * zeroAllowed} is false.
     */
    @Nullable Duration duration(Setting<String> setting, boolean zeroAllowed) {
        String allowed = zeroAllowed
                ? "a duration of zero or more, " + DURATION_EXAMPLES
                : "a duration of more than zero, " + DURATION_EXAMPLES;
        Duration duration = parseDuration(setting.value());
        if (duration != null && !duration.isNegative() && (zeroAllowed || !duration.isZero())) {
            return duration;
        }
        report(setting.path(), setting.value(), allowed);
        return null;
    }

    /** The words Spring itself accepts for a boolean, so the same text works here as anywhere else. */
    @Nullable Boolean bool(Setting<String> setting) {
        String text = setting.value().trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(text)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(text)) {
            return Boolean.FALSE;
        }
        report(setting.path(), setting.value(), "true or false");
        return null;
    }

    /**
     * A constant of {@code type}, matched as leniently as Spring Boot matches enums: any case, with
     * {@code -} or {@code _} between words.
     */
    <T extends Enum<T>> @Nullable T choice(Setting<String> setting, Class<T> type) {
        String wanted = setting.value().trim().replace('-', '_');
        for (T constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        String names = Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        report(setting.path(), setting.value(), "one of " + names);
        return null;
    }

    /** Exception classes by their fully qualified names, each loaded now so a typo fails the start-up. */
    @Nullable List<Class<? extends Throwable>> throwables(Setting<List<String>> setting) {
        List<Class<? extends Throwable>> types = new ArrayList<>();
        boolean sound = true;
        for (int i = 0; i < setting.value().size(); i++) {
            String name = setting.value().get(i);
            String path = setting.path() + "[" + i + "]";
            Class<?> type = load(name == null ? "" : name.trim());
            if (type == null) {
                report(path, String.valueOf(name),
                        "the fully qualified name of an exception class on the class path, and no class of that name was found");
                sound = false;
            } else if (!Throwable.class.isAssignableFrom(type)) {
                report(path, String.valueOf(name),
                        "the name of an exception class (a java.lang.Throwable), which " + type.getName() + " is not");
                sound = false;
            } else {
                types.add(type.asSubclass(Throwable.class));
            }
        }
        return sound ? List.copyOf(types) : null;
    }

    /** HTTP statuses, each from 100 to 599. */
    @Nullable List<Integer> statuses(Setting<List<String>> setting) {
        List<Integer> statuses = new ArrayList<>();
        boolean sound = true;
        for (int i = 0; i < setting.value().size(); i++) {
            Long status = parseWhole(String.valueOf(setting.value().get(i)));
            if (status == null || status < 100 || status > 599) {
                report(setting.path() + "[" + i + "]", String.valueOf(setting.value().get(i)),
                        "an HTTP status from 100 to 599");
                sound = false;
            } else {
                statuses.add(status.intValue());
            }
        }
        return sound ? List.copyOf(statuses) : null;
    }

    /** A fixed delay (zero or more) or a percentile of observed latency from p50 to p99.9. */
    @Nullable HedgeDelay hedgeDelay(Setting<String> setting) {
        String text = setting.value().trim();
        var percentile = PERCENTILE.matcher(text);
        if (percentile.matches()) {
            double value = Double.parseDouble(percentile.group(1));
            if (value >= HedgeDelay.Percentile.MIN && value <= HedgeDelay.Percentile.MAX) {
                return new HedgeDelay.Percentile(value);
            }
        } else {
            Duration duration = parseDuration(text);
            if (duration != null && !duration.isNegative()) {
                return new HedgeDelay.Fixed(duration);
            }
        }
        report(setting.path(), setting.value(),
                "a duration of zero or more, such as 100ms or 2s, or a percentile of observed latency from p50 to p99.9");
        return null;
    }

    /**
     * A whole number, or {@code null} when the text is none or is too big even for a long (then it
     * is out of any range anyway, and is reported as such rather than as unreadable).
     */
    private static @Nullable Long parseWhole(String text) {
        String trimmed = text.trim();
        if (!WHOLE.matcher(trimmed).matches()) {
            return null;
        }
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException tooBig) {
            return null;
        }
    }

    private static @Nullable Duration parseDuration(String text) {
        try {
            return DurationStyle.detectAndParse(text.trim());
        } catch (IllegalArgumentException | ArithmeticException unreadable) {
            return null;
        }
    }

    private @Nullable Class<?> load(String name) {
        if (name.isEmpty()) {
            return null;
        }
        try {
            return ClassUtils.forName(name, classLoader);
        } catch (ClassNotFoundException | LinkageError missing) {
            return null;
        }
    }
}
