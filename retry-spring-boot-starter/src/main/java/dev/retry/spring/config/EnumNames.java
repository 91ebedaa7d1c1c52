package dev.retry.spring.config;

import org.jspecify.annotations.Nullable;

/**
 * How retry reads the name of a choice wherever a user writes one, in YAML or in a request to an
 * endpoint: as leniently as Spring Boot binds enums, so that {@code half-open}, {@code HALF_OPEN}
 * and {@code Half_Open} mean the same. One rule, so that the two never disagree.
 */
public final class EnumNames {

    private EnumNames() {}

    /** The constant of {@code type} that {@code text} names (trimmed, any case, {@code -} for {@code _}), or {@code null}. */
    public static <T extends Enum<T>> @Nullable T parse(String text, Class<T> type) {
        String wanted = text.trim().replace('-', '_');
        for (T constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        return null;
    }
}
