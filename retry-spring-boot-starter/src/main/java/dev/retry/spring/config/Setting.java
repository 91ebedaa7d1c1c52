package dev.retry.spring.config;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One key of one named entry after inheritance: the text that applies and where it was written,
 * so that a value the core's builder refuses is reported under the path the user has to edit.
 *
 * @param value the value as written, or {@code null} when neither the entry nor its section's
 *     {@code default} wrote one, so that the builder's own default applies
 * @param path the property path it was written under; for a built-in default, the entry's own path
 *     for that key
 * @param origin which of the three levels supplied it
 * @param text the value as the user wrote it, quoted in messages; {@code null} for a built-in default
 * @param unconvertible whether {@code text} could not be converted to the key's type, so that {@code
 *     value} is {@code null} although the key was written
 */
record Setting<T>(
        @Nullable T value,
        String path,
        Origin origin,
        @Nullable String text,
        boolean unconvertible) {

    /** Where a value came from, least specific first. */
    enum Origin {
        /** The contract's built-in default: the user wrote nothing. */
        BUILT_IN,
        /** The section's {@code default} entry, inherited by a named entry. */
        DEFAULT_ENTRY,
        /** The entry itself. */
        ENTRY
    }

    /**
     * The value and where it came from, for a message that compares two keys.
     *
     * @param builtIn the value in force when the user wrote none, as the builder reports it
     */
    String describe(String builtIn) {
        return origin == Origin.BUILT_IN ? builtIn + " (the built-in default)" : text + " (" + path + ")";
    }

    /** Whether the user wrote this key, in the entry or in its section's {@code default}. */
    boolean written() {
        return origin != Origin.BUILT_IN;
    }

    /** Whether this value was written closer to the entry than {@code other}'s. */
    boolean moreSpecificThan(Setting<?> other) {
        return origin.compareTo(other.origin) > 0;
    }

    /**
     * One entry of a section and the section's {@code default} entry, from which each key is looked
     * up in turn: the entry, then {@code default}, then the built-in value.
     */
    static final class Lookup<E> {

        private final String entryPath;
        private final String defaultPath;
        private final E entry;
        private final @Nullable E defaults;
        private final RetryPropertiesBinder.WrittenText written;

        /**
         * @param section the section's path, such as {@code retry.policies}
         * @param name the entry's name
         * @param entry the entry's keys
         * @param defaults the {@code default} entry's keys, or {@code null} when there is none or
         *     {@code entry} is the default entry itself
         * @param written what the user wrote for each path, and which could not be converted
         */
        Lookup(String section, String name, E entry, @Nullable E defaults, RetryPropertiesBinder.WrittenText written) {
            this.entryPath = section + "." + key(name) + ".";
            this.defaultPath = section + "." + RetrySettings.DEFAULT + ".";
            this.entry = entry;
            this.defaults = defaults;
            this.written = written;
        }

        <T> Setting<T> get(String key, Function<E, @Nullable T> getter) {
            Setting<T> own = at(entryPath + key, entry, getter, Origin.ENTRY);
            if (own != null) {
                return own;
            }
            Setting<T> inherited =
                    defaults != null ? at(defaultPath + key, defaults, getter, Origin.DEFAULT_ENTRY) : null;
            if (inherited != null) {
                return inherited;
            }
            return new Setting<>(null, entryPath + key, Origin.BUILT_IN, null, false);
        }

        /** The key at {@code path} of {@code keys}, when written there, convertible or not. */
        private <T> @Nullable Setting<T> at(String path, E keys, Function<E, @Nullable T> getter, Origin origin) {
            String unconvertible = written.unconvertible(path);
            if (unconvertible != null) {
                return new Setting<>(null, path, origin, unconvertible, true);
            }
            T value = getter.apply(keys);
            if (value == null) {
                return null;
            }
            String text = written.written(path);
            return new Setting<>(value, path, origin, text != null ? text : String.valueOf(value), false);
        }

        /**
         * A map key as it has to be written in a path: in brackets when it holds a dot, or any
         * character that Spring Boot drops from a name written without them (a space, {@code ü}),
         * so that the path in a message is one the user can write.
         */
        private static String key(String name) {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean plain = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '_';
                if (!plain) {
                    return "[" + name + "]";
                }
            }
            return name;
        }
    }
}
