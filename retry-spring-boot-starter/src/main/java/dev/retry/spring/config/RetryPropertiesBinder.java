package dev.retry.spring.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Binds {@code retry.*} into {@link RetryProperties} without stopping at a value Spring cannot
 * convert: each such value is noted under its path, with the text as written, and left unset, and
 * binding goes on. The text of every value that did bind is kept too, so that a value the core's
 * builder refuses is quoted as the user wrote it ({@code '-1s'}, not {@code PT-1S}).
 */
final class RetryPropertiesBinder {

    /** The prefix every key of {@link RetryProperties} is bound under. */
    static final String PREFIX = "retry";

    private RetryPropertiesBinder() {}

    /** What binding found: the properties, and the text behind each leaf, sound or not. */
    record Bound(RetryProperties properties, WrittenText text) {}

    static Bound bind(Binder binder) {
        Recorder recorder = new Recorder();
        RetryProperties properties = binder.bindOrCreate(PREFIX, Bindable.of(RetryProperties.class), recorder);
        return new Bound(properties, new WrittenText(recorder.written, recorder.unconvertible));
    }

    /**
     * The text written under each path: what the properties hold came from it, or, for a path in
     * {@link #unconvertible()}, could not be made from it.
     *
     * @param written the text of every leaf that bound, by path
     * @param unconvertible the text of every leaf that could not be converted to its key's type
     */
    record WrittenText(Map<String, String> written, Map<String, String> unconvertible) {

        /** Nothing known: properties built in code rather than bound. */
        static final WrittenText NONE = new WrittenText(Map.of(), Map.of());

        WrittenText {
            written = Map.copyOf(written);
            unconvertible = Map.copyOf(unconvertible);
        }

        /**
         * The names of the entries of {@code section} that a value could not be converted for.
         * Spring leaves out an entry none of whose values bound, so these may be missing from the
         * properties; they must be read all the same, for their values to be reported.
         */
        Set<String> entriesWithUnconvertibleValues(String section) {
            ConfigurationPropertyName parent = ConfigurationPropertyName.of(section);
            Set<String> names = new LinkedHashSet<>();
            for (String path : unconvertible.keySet()) {
                ConfigurationPropertyName name = ConfigurationPropertyName.of(path);
                if (parent.isAncestorOf(name) && name.getNumberOfElements() > parent.getNumberOfElements() + 1) {
                    names.add(name.getElement(parent.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL));
                }
            }
            return names;
        }

        @Nullable
        String unconvertible(String path) {
            return unconvertible.get(canonical(path));
        }

        @Nullable
        String written(String path) {
            return written.get(canonical(path));
        }

        /** {@code retry.policies.[a.b].delay}, as a Lookup writes it, is {@code retry.policies[a.b].delay} to Spring. */
        private static String canonical(String path) {
            return path.replace(".[", "[");
        }
    }

    /** Notes what each leaf was written as, and lets binding go on past one it cannot convert. */
    private static final class Recorder extends AbstractBindHandler {

        private final Map<String, String> written = new LinkedHashMap<>();
        private final Map<String, String> unconvertible = new LinkedHashMap<>();

        Recorder() {
            super(BindHandler.DEFAULT);
        }

        @Override
        public Object onSuccess(
                ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
            ConfigurationProperty property = context.getConfigurationProperty();
            if (property != null && property.getValue() != null) {
                written.put(name.toString(), String.valueOf(property.getValue()));
            }
            return super.onSuccess(name, target, context, result);
        }

        @Override
        public @Nullable Object onFailure(
                ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error)
                throws Exception {
            ConfigurationProperty property = context.getConfigurationProperty();
            if (property == null || !isKeyOfAnEntry(name, target)) {
                // retry.strict-names, or a single value where a group belongs: the failure analyzer
                // explains Spring's own failure in our words, as it always has.
                return super.onFailure(name, target, context, error);
            }
            unconvertible.put(name.toString(), String.valueOf(property.getValue()));
            return null;
        }

        /** {@code retry.<section>.<name>.<key>}, a single value rather than a group such as {@code budget}. */
        private static boolean isKeyOfAnEntry(ConfigurationPropertyName name, Bindable<?> target) {
            Class<?> type = target.getType().resolve(Object.class);
            return name.getNumberOfElements() >= 4 && type.getEnclosingClass() != RetryProperties.class;
        }

        /** A value written as blank text binds to nothing, which would pass for a key not written at all. */
        @Override
        public void onFinish(
                ConfigurationPropertyName name, Bindable<?> target, BindContext context, @Nullable Object result)
                throws Exception {
            ConfigurationProperty property = context.getConfigurationProperty();
            if (result == null
                    && property != null
                    && isKeyOfAnEntry(name, target)
                    && property.getValue() != null
                    && String.valueOf(property.getValue()).isBlank()) {
                unconvertible.putIfAbsent(name.toString(), String.valueOf(property.getValue()));
            }
            super.onFinish(name, target, context, result);
        }
    }
}
