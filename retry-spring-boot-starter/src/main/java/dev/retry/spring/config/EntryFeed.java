package dev.retry.spring.config;

import dev.retry.core.InvalidOptionException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Feeds one entry's settings, as text, into a core builder, and reports what the builder refuses
 * under the YAML path where the value was written, in the builder's own words: the builder owns
 * every option's allowed values, default and cross-option rules; this only parses text and maps
 * names.
 *
 * <p>A key left unwritten is not fed at all, so the builder's own default applies. A text that
 * Spring could not convert to the key's type (not even a number or a duration) cannot reach the
 * builder; its words for what the option allows are then learnt by offering a value that no option
 * of that kind accepts (a negative duration, the lowest {@code int}, {@code NaN}), so that "three"
 * and "0" for {@code max-attempts} read the same. Messages quote a value as the user wrote it.
 *
 * @param <E> the entry's type in {@link RetryProperties}
 * @param <B> the core builder
 */
final class EntryFeed<E, B> {

    /**
     * What one kind of key is called, and what offered to a builder no option of that kind accepts,
     * so that a text Spring could not convert is refused in the builder's own words.
     */
    record Kind<T>(@Nullable T refusedByAll, String what, String notation) {

        static final Kind<Integer> WHOLE = new Kind<>(Integer.MIN_VALUE, "a whole number", "");
        static final Kind<Double> NUMBER = new Kind<>(Double.NaN, "a number", "");
        static final Kind<Float> PERCENT = new Kind<>(Float.NaN, "a number", "");
        static final Kind<Duration> DURATION =
                new Kind<>(Duration.ofSeconds(-1), "a duration", ", " + ValueReader.DURATION_EXAMPLES);
        static final Kind<Boolean> BOOLEAN = new Kind<>(null, "true or false", "");

        static <T extends Enum<T>> Kind<T> choice(Class<T> type) {
            return new Kind<>(null, ValueReader.choices(type), "");
        }
    }

    private final ValueReader reader;
    private final Setting.Lookup<E> keys;
    private final Supplier<B> freshBuilder;
    private final B builder;
    private final int reportsBefore;
    /** The core's option names, with the YAML key and the setting each came from. */
    private final Map<String, String> keyOfOption = new LinkedHashMap<>();

    private final Map<String, Setting<?>> settingOfOption = new LinkedHashMap<>();

    EntryFeed(ValueReader reader, Setting.Lookup<E> keys, Supplier<B> freshBuilder) {
        this.reader = reader;
        this.keys = keys;
        this.freshBuilder = freshBuilder;
        this.builder = freshBuilder.get();
        this.reportsBefore = reader.reports();
    }

    B builder() {
        return builder;
    }

    /** The setting of {@code key}, remembered as the core's {@code option} for messages. */
    <T> Setting<T> setting(String key, String option, Function<E, @Nullable T> getter) {
        Setting<T> setting = keys.get(key, getter);
        keyOfOption.put(option, key);
        settingOfOption.put(option, setting);
        return setting;
    }

    /** Reads {@code key} as {@code kind} and, when it was written, hands it to {@code setter}. */
    <T> void set(String key, String option, Function<E, @Nullable T> getter, Kind<T> kind, BiConsumer<B, T> setter) {
        Setting<T> setting = setting(key, option, getter);
        T value = read(setting, kind, setter);
        if (value != null) {
            apply(setting, kind, () -> setter.accept(builder, value));
        }
    }

    /**
     * The value of {@code setting}; {@code null} when it was not written, or was written as a text
     * that is not {@code kind} at all, which is then reported.
     */
    <T> @Nullable T read(Setting<T> setting, Kind<T> kind, BiConsumer<B, T> setter) {
        if (setting.unconvertible()) {
            reader.report(setting.path(), String.valueOf(setting.text()), allowed(kind, setter) + kind.notation());
            return null;
        }
        return setting.value();
    }

    /** Runs {@code feed} on the builder, reporting a refusal under {@code setting}'s path. */
    void apply(Setting<?> setting, Kind<?> kind, Runnable feed) {
        try {
            feed.run();
        } catch (InvalidOptionException refused) {
            reader.report(setting.path(), String.valueOf(setting.text()), words(refused.allowed()) + kind.notation());
        }
    }

    /** Runs {@code feed}, reporting a refusal under the path of the option the builder names. */
    void apply(Runnable feed) {
        try {
            feed.run();
        } catch (InvalidOptionException refused) {
            Setting<?> setting = settingOfOption.get(refused.option());
            String path = setting != null ? setting.path() : refused.option();
            String value = setting != null && setting.text() != null ? setting.text() : refused.value();
            reader.report(path, value, words(refused.allowed()));
        }
    }

    /**
     * Checks the options against each other by building the configuration, and returns it, or
     * {@code null} when any value of this entry was refused. A contradiction between two keys is
     * blamed on the one written closer to the entry (the entry itself before its section's {@code
     * default}, either before the built-in value), since that is the one the user changed last.
     */
    <C> @Nullable C build(Function<B, C> buildConfig) {
        if (reader.reports() != reportsBefore) {
            return null;
        }
        try {
            return buildConfig.apply(builder);
        } catch (InvalidOptionException refused) {
            Setting<?> own = settingOfOption.get(refused.option());
            Setting<?> related = settingOfOption.get(refused.relatedOption());
            if (own == null) {
                reader.report(refused.option(), refused.value(), words(refused.allowed()));
            } else if (related != null && related.moreSpecificThan(own)) {
                reader.report(
                        related.path(),
                        String.valueOf(related.text()),
                        words(refused.relatedAllowed()) + ", " + own.describe(refused.value()));
            } else {
                String value = own.text() != null ? own.text() : refused.value();
                String against = related != null ? ", " + related.describe(refused.relatedValue()) : "";
                reader.report(own.path(), value, words(refused.allowed()) + against);
            }
            return null;
        }
    }

    /** What the builder says the option allows, learnt by offering what no option of its kind accepts. */
    private <T> String allowed(Kind<T> kind, BiConsumer<B, T> setter) {
        if (kind.refusedByAll() != null) {
            try {
                setter.accept(freshBuilder.get(), kind.refusedByAll());
            } catch (InvalidOptionException refused) {
                return words(refused.allowed());
            }
        }
        return kind.what();
    }

    /** The builder's words with its option names replaced by the YAML keys they are written as. */
    String words(String builderWords) {
        if (keyOfOption.isEmpty()) {
            return builderWords;
        }
        // One pass, longest name first, so that a key put in is never taken for another option's name.
        String names = keyOfOption.keySet().stream()
                .sorted(Comparator.comparing(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
        Matcher matcher =
                Pattern.compile("(?<![\\w.-])(" + names + ")(?![\\w-])").matcher(builderWords);
        return matcher.replaceAll(match -> Matcher.quoteReplacement(keyOfOption.get(match.group(1))));
    }
}
