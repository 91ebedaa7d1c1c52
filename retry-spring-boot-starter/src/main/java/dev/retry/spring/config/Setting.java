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
 */
record Setting<T>(@Nullable T value, String path, Origin origin) {

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
        return origin == Origin.BUILT_IN ? builtIn + " (the built-in default)" : value + " (" + path + ")";
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

        /**
         * @param section the section's path, such as {@code retry.policies}
         * @param name the entry's name
         * @param entry the entry's keys
         * @param defaults the {@code default} entry's keys, or {@code null} when there is none or
         *     {@code entry} is the default entry itself
         */
        Lookup(String section, String name, E entry, @Nullable E defaults) {
            this.entryPath = section + "." + key(name) + ".";
            this.defaultPath = section + "." + RetrySettings.DEFAULT + ".";
            this.entry = entry;
            this.defaults = defaults;
        }

        <T> Setting<T> get(String key, Function<E, @Nullable T> getter) {
            T own = getter.apply(entry);
            if (own != null) {
                return new Setting<>(own, entryPath + key, Origin.ENTRY);
            }
            T inherited = defaults != null ? getter.apply(defaults) : null;
            if (inherited != null) {
                return new Setting<>(inherited, defaultPath + key, Origin.DEFAULT_ENTRY);
            }
            return new Setting<>(null, entryPath + key, Origin.BUILT_IN);
        }

        /** A map key as Spring Boot writes it in a path: in brackets when it holds a dot. */
        private static String key(String name) {
            return name.indexOf('.') >= 0 ? "[" + name + "]" : name;
        }
    }
}
