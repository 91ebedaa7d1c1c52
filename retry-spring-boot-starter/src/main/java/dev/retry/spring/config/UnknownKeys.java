package dev.retry.spring.config;

import dev.retry.spring.config.InvalidRetryConfigurationException.UnknownKey;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Finds the keys written under {@code retry} that retry does not read. Spring Boot binds what it
 * knows and ignores the rest, so a misspelt {@code max-attemps: 5} would leave a policy at its
 * default without a word; this names each such key, where it was written and, when one is close,
 * the key that was meant.
 *
 * <p>The keys retry reads are those of {@link RetryProperties} and its groups, read from their
 * fields, so a key added there is known here too, plus {@code health.down-when-open}, which the
 * endpoint configuration reads. Names compare as Spring Boot compares them (case and dashes aside),
 * so {@code maxAttempts} is {@code max-attempts}. Environment variables are left alone: a variable
 * that happens to start with {@code RETRY_} belongs to somebody else as often as not.
 */
final class UnknownKeys {

    private static final ConfigurationPropertyName RETRY = ConfigurationPropertyName.of("retry");

    /** Read by the endpoint's auto-configuration from the environment, not bound here. */
    private static final String HEALTH = "health";

    private static final List<String> HEALTH_KEYS = List.of("down-when-open");

    private UnknownKeys() {}

    /** The unknown keys under {@code retry} in {@code environment}, each named once. */
    static List<UnknownKey> in(Environment environment) {
        List<UnknownKey> unknown = new ArrayList<>();
        Set<ConfigurationPropertyName> seen = new HashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)
                    || source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
                continue;
            }
            iterable.stream().filter(RETRY::isAncestorOf).filter(seen::add).forEach(name -> {
                UnknownKey key = check(name, source.getConfigurationProperty(name));
                if (key != null) {
                    unknown.add(key);
                }
            });
        }
        return unknown;
    }

    /**
     * Whether {@code key} stands directly under {@code retry} and resembles none of its keys, such as
     * {@code retry.version}: more likely another tool's property than a misspelling of retry's.
     */
    static boolean isStray(UnknownKey key) {
        if (!key.suggestion().isEmpty()) {
            return false;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(key.path());
        String first = name.getElement(1, Form.UNIFORM);
        List<String> known = keysOf(RetryProperties.class);
        known.add(HEALTH);
        return known.stream().noneMatch(candidate -> uniform(candidate).equals(first));
    }

    /** {@code null} when retry reads {@code name}. */
    private static @Nullable UnknownKey check(
            ConfigurationPropertyName name, @Nullable ConfigurationProperty property) {
        if (uniform(HEALTH).equals(name.getElement(1, Form.UNIFORM))) {
            boolean known = name.getNumberOfElements() == 3
                    && HEALTH_KEYS.stream().anyMatch(key -> uniform(key).equals(name.getElement(2, Form.UNIFORM)));
            return known ? null : unknownAt(name, property, 2, HEALTH_KEYS, "retry.health");
        }
        return checkKey(name, property, 1, RetryProperties.class, "retry");
    }

    /**
     * Checks element {@code at} of {@code name}, and what follows it, against the keys of {@code
     * group}, whose path is written {@code parent}: a section (a map) takes an entry's name and then
     * the keys of its entries, a group its own keys, a list an index, a value nothing more.
     */
    private static @Nullable UnknownKey checkKey(
            ConfigurationPropertyName name,
            @Nullable ConfigurationProperty property,
            int at,
            Class<?> group,
            String parent) {
        Field field = null;
        for (Field candidate : fields(group)) {
            if (uniform(dashed(candidate)).equals(name.getElement(at, Form.UNIFORM))) {
                field = candidate;
            }
        }
        if (field == null) {
            List<String> keys = keysOf(group);
            if (group == RetryProperties.class) {
                keys.add(HEALTH);
            }
            return unknownAt(name, property, at, keys, parent);
        }
        // Whatever ends too early (a section or a group written as one value) is Boot's to refuse.
        int rest = name.getNumberOfElements() - at - 1;
        String path = parent + "." + dashed(field);
        Class<?> type = field.getType();
        if (Map.class.isAssignableFrom(type)) {
            return rest <= 1 ? null : checkKey(name, property, at + 2, entryType(field), path + ".<name>");
        }
        if (type.getEnclosingClass() == RetryProperties.class) {
            return rest == 0 ? null : checkKey(name, property, at + 1, type, path);
        }
        if (rest == 0 || (Collection.class.isAssignableFrom(type) && rest == 1 && name.isNumericIndex(at + 1))) {
            return null;
        }
        return unknownAt(name, property, at + 1, List.of(), path);
    }

    /** The class of a section's entries: the value type of its {@code Map<String, Entry>}. */
    private static Class<?> entryType(Field section) {
        ParameterizedType map = (ParameterizedType) section.getGenericType();
        return (Class<?>) map.getActualTypeArguments()[1];
    }

    /**
     * @param keys the keys that may stand at element {@code at}; none where a single value ends the path
     * @param parent the path they belong to, as {@code retry.policies.<name>}
     */
    private static UnknownKey unknownAt(
            ConfigurationPropertyName name,
            @Nullable ConfigurationProperty property,
            int at,
            List<String> keys,
            String parent) {
        String written = name.getElement(at, Form.UNIFORM);
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String key : keys) {
            int distance = distance(written, uniform(key));
            if (distance < best) {
                best = distance;
                closest = key;
            }
        }
        // Close enough to be a slip of the keyboard: a letter or two, and never more than a third of the word.
        String suggestion = closest != null && best <= Math.max(1, Math.min(2, closest.length() / 3))
                ? name.chop(at) + "." + closest + suffix(name, at + 1)
                : "";
        String allowed = keys.isEmpty()
                ? "no keys under " + name.chop(at) + ", a single value"
                : "the keys of " + parent + ": " + String.join(", ", keys);
        return new UnknownKey(
                name.toString(),
                property != null ? String.valueOf(property.getValue()) : "",
                property != null && property.getOrigin() != null
                        ? property.getOrigin().toString()
                        : "",
                suggestion,
                allowed);
    }

    /** The elements of {@code name} from {@code from} on, as they stand after a dot. */
    private static String suffix(ConfigurationPropertyName name, int from) {
        StringBuilder suffix = new StringBuilder();
        for (int i = from; i < name.getNumberOfElements(); i++) {
            suffix.append(
                    name.isNumericIndex(i)
                            ? "[" + name.getElement(i, Form.ORIGINAL) + "]"
                            : "." + name.getElement(i, Form.DASHED));
        }
        return suffix.toString();
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                fields.add(field);
            }
        }
        return fields;
    }

    /** The keys of {@link RetryProperties} or one of its groups, as they are written. */
    static List<String> keysOf(Class<?> type) {
        List<String> keys = new ArrayList<>();
        for (Field field : fields(type)) {
            keys.add(dashed(field));
        }
        return keys;
    }

    private static String dashed(Field field) {
        return DataObjectPropertyName.toDashedForm(field.getName());
    }

    /** As Spring Boot compares names: lower case, without dashes. */
    private static String uniform(String key) {
        return key.replace("-", "").toLowerCase(Locale.ROOT);
    }

    /**
     * The fewest letters inserted, removed or changed, or neighbours swapped, to turn one word into
     * the other (the optimal string alignment distance): {@code ratoi} is one slip from {@code ratio}.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int change = d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                d[i][j] = Math.min(change, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
