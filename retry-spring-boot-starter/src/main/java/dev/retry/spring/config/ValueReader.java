package dev.retry.spring.config;

import dev.retry.spring.config.InvalidRetryConfigurationException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;

/**
 * Reads what only the starter reads (exception class names, HTTP statuses, hedge delays and
 * annotations' durations written as text), and collects the problems found. The parsers say only
 * whether the text is a duration and so on, returning {@code null} when it is not; whether the value
 * is allowed is the core builder's to say. Keys of other types arrive converted by Spring.
 *
 * <p>Problems are kept by path: a bad value in a section's {@code default} entry is read again for
 * every entry that inherits it, and is reported once, under the path where it is written.
 */
final class ValueReader {

    /** Appended to what a duration key allows, so that a user sees the notation as well as the range. */
    static final String DURATION_EXAMPLES = "such as 100ms, 2s, 1m or PT0.5S";

    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");

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
        report(new Problem(path, value, allowed));
    }

    private void report(Problem problem) {
        reports++;
        problems.putIfAbsent(problem.path(), problem);
    }

    /**
     * A duration in Spring Boot's notation ({@code 100ms}, {@code 2s}, a plain number of
     * milliseconds) or ISO-8601 ({@code PT0.5S}), or {@code null} when the text is none. Whether it
     * may be negative or zero is the builder's to say.
     */
    static @Nullable Duration duration(String text) {
        try {
            return DurationStyle.detectAndParse(text.trim());
        } catch (IllegalArgumentException | ArithmeticException unreadable) {
            return null;
        }
    }

    /** The constants of {@code type} as YAML writes them, worded to follow "it must be". */
    static String choices(Class<? extends Enum<?>> type) {
        return "one of "
                + Arrays.stream(type.getEnumConstants())
                        .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "));
    }

    /** A percentile written {@code p95} or {@code p99.9}, as a number, or {@code null} when the text is none. */
    static @Nullable Double percentile(String text) {
        var percentile = PERCENTILE.matcher(text.trim());
        return percentile.matches() ? Double.valueOf(percentile.group(1)) : null;
    }

    /** Exception classes by their fully qualified names, each loaded now so a typo fails the start-up. */
    @Nullable
    List<Class<? extends Throwable>> throwables(Setting<List<String>> setting) {
        if (setting.value() == null) {
            return List.of();
        }
        List<Class<? extends Throwable>> types = new ArrayList<>();
        boolean sound = true;
        for (int i = 0; i < setting.value().size(); i++) {
            String name = setting.value().get(i);
            String path = setting.path() + "[" + i + "]";
            Class<?> type = load(name == null ? "" : name.trim());
            if (type == null) {
                report(new Problem(
                        path,
                        String.valueOf(name),
                        "the fully qualified name of an exception class on the class path",
                        "no class of that name was found"));
                sound = false;
            } else if (!Throwable.class.isAssignableFrom(type)) {
                report(
                        path,
                        String.valueOf(name),
                        "the name of an exception class (a java.lang.Throwable), which " + type.getName() + " is not");
                sound = false;
            } else {
                types.add(type.asSubclass(Throwable.class));
            }
        }
        return sound ? List.copyOf(types) : null;
    }

    /** HTTP statuses, each from 100 to 599. */
    @Nullable
    List<Integer> statuses(Setting<List<String>> setting, List<Integer> builtIn) {
        if (setting.value() == null) {
            return builtIn;
        }
        List<Integer> statuses = new ArrayList<>();
        boolean sound = true;
        for (int i = 0; i < setting.value().size(); i++) {
            Long status = parseWhole(String.valueOf(setting.value().get(i)));
            if (status == null || status < 100 || status > 599) {
                report(
                        setting.path() + "[" + i + "]",
                        String.valueOf(setting.value().get(i)),
                        "an HTTP status from 100 to 599");
                sound = false;
            } else {
                statuses.add(status.intValue());
            }
        }
        return sound ? List.copyOf(statuses) : null;
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
