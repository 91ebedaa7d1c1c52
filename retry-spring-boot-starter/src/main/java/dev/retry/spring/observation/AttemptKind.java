package dev.retry.spring.observation;

import java.util.Locale;

/** Why an attempt was made: the {@code kind} key of a {@code retry.attempt} observation. */
public enum AttemptKind {
    /** The call's first attempt. */
    FIRST,
    /** An attempt the retry policy made after a failure. */
    RETRY,
    /** An attempt the hedging policy started beside a slow one. */
    HEDGE;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** {@code first}, {@code retry} or {@code hedge}: the key's value. */
    public String value() {
        return value;
    }
}
