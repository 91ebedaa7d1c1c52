package dev.retry.spring.config;

import dev.retry.spring.config.InvalidRetryConfigurationException.Problem;
import dev.retry.spring.config.InvalidRetryConfigurationException.UnknownKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Explains a start-up that failed on a bad {@code retry.*} value: one line per bad value, each naming
 * its property path, the value and what is allowed.
 *
 * <p>Every key of an entry reaches {@link RetrySettings}, converted or noted as unconvertible, and
 * is refused there, all at once, with an {@link InvalidRetryConfigurationException}. What Spring Boot
 * itself cannot bind outside an entry's keys (a {@code strict-names} that is no boolean, a single
 * value where a group of keys belongs, such as {@code budget: 0.1}) fails earlier with Boot's {@link
 * BindException}, whose own analysis names the path and the value but not what would be accepted.
 * This analyzer is ordered ahead of Boot's so that both read the same.
 */
final class RetryConfigurationFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final ConfigurationPropertyName RETRY = ConfigurationPropertyName.of("retry");

    private final @Nullable Environment environment;

    /**
     * @param environment where to look up a value that Boot's failure does not carry; {@code null}
     *     when there is none
     */
    RetryConfigurationFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        InvalidRetryConfigurationException invalid = findCause(failure, InvalidRetryConfigurationException.class);
        if (invalid != null) {
            List<String> descriptions = new ArrayList<>(
                    invalid.problems().stream().map(Problem::describe).toList());
            List<String> actions = new ArrayList<>(invalid.problems().stream()
                    .map(problem -> "set " + problem.path() + " to " + problem.allowed())
                    .toList());
            descriptions.addAll(
                    invalid.unknownKeys().stream().map(UnknownKey::describe).toList());
            actions.addAll(
                    invalid.unknownKeys().stream().map(UnknownKey::action).toList());
            if (!invalid.unknownKeys().isEmpty()) {
                actions.add("or, to have unknown keys under retry ignored, set retry.fail-on-unknown-keys to false");
            }
            return analysis(descriptions, actions, invalid);
        }
        BindException unbound = findCause(failure, BindException.class);
        if (unbound != null && isUnderRetry(unbound)) {
            String path = unbound.getName().toString();
            String allowed = allowed(path, unbound.getTarget().getType().resolve(Object.class));
            String value = value(unbound, environment);
            String description = value != null
                    ? new Problem(path, value, allowed).describe()
                    : path + " could not be bound, but it must be " + allowed;
            return analysis(List.of(description), List.of("set " + path + " to " + allowed), unbound);
        }
        return null;
    }

    /**
     * Boot's failure to bind a key under {@code retry} in the words of every other bad value, so that
     * a change while running is refused as the start-up is; {@code null} when the failure is not
     * about {@code retry}, or its value cannot be found to quote.
     */
    static @Nullable Problem problemOf(BindException unbound, @Nullable Environment environment) {
        if (!isUnderRetry(unbound)) {
            return null;
        }
        String path = unbound.getName().toString();
        String value = value(unbound, environment);
        return value == null
                ? null
                : new Problem(
                        path, value, allowed(path, unbound.getTarget().getType().resolve(Object.class)));
    }

    private static boolean isUnderRetry(BindException unbound) {
        return RETRY.equals(unbound.getName()) || RETRY.isAncestorOf(unbound.getName());
    }

    private static FailureAnalysis analysis(List<String> descriptions, List<String> actions, Throwable cause) {
        String description = descriptions.stream()
                .map(line -> InvalidRetryConfigurationException.PREFIX + line)
                .collect(Collectors.joining("\n"));
        String action = "Update the retry configuration:\n"
                + actions.stream().map(line -> "  - " + line).collect(Collectors.joining("\n"));
        return new FailureAnalysis(description, action, cause);
    }

    /**
     * The value as bound; when a single value was given where a group of keys belongs, Boot's failure
     * no longer carries it, so it is looked up again.
     */
    private static @Nullable String value(BindException unbound, @Nullable Environment environment) {
        ConfigurationProperty property = unbound.getProperty();
        if (property != null) {
            return String.valueOf(property.getValue());
        }
        return environment != null ? environment.getProperty(unbound.getName().toString()) : null;
    }

    /** What a key of this type accepts, worded to follow "it must be". */
    private static String allowed(String path, Class<?> type) {
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "));
        }
        if (type == Duration.class) {
            return "a duration, such as 100ms or 2s";
        }
        if (ClassUtils.resolvePrimitiveIfNecessary(type) == Integer.class
                || ClassUtils.resolvePrimitiveIfNecessary(type) == Long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(ClassUtils.resolvePrimitiveIfNecessary(type))) {
            return "a number";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a group of named entries, each a group of keys (such as " + path + ".default), not a single value";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list of values";
        }
        if (type.getEnclosingClass() == RetryProperties.class) {
            return "a group of keys (" + String.join(", ", UnknownKeys.keysOf(type)) + "), not a single value";
        }
        return "a value that converts to " + type.getName();
    }

    private static <T extends Throwable> @Nullable T findCause(@Nullable Throwable failure, Class<T> type) {
        while (failure != null) {
            if (type.isInstance(failure)) {
                return type.cast(failure);
            }
            failure = failure.getCause();
        }
        return null;
    }
}
