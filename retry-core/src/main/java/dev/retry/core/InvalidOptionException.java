package dev.retry.core;

import java.util.Objects;

/**
 * A builder refused the value of one of its options. It names the option, the value and what the
 * option allows, each on its own, so that an adapter (the Spring Boot starter, say) can report the
 * refusal under the name its users wrote, such as a YAML path, in the builder's own words: the
 * builders are the one place where an option's allowed values are written.
 *
 * <p>A value that is sound alone but contradicts another option ({@code maxDelay} shorter than
 * {@code delay}) is refused with that other option as the {@linkplain #relatedOption() related}
 * one, and what each of the two would have to be, so that an adapter can blame whichever of them
 * the user wrote last.
 */
public final class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final String value;
    private final String allowed;
    private final String relatedOption;
    private final String relatedValue;
    private final String relatedAllowed;

    private InvalidOptionException(
            String option,
            String value,
            String allowed,
            String relatedOption,
            String relatedValue,
            String relatedAllowed) {
        super(message(option, value, allowed, relatedOption, relatedValue));
        this.option = option;
        this.value = value;
        this.allowed = allowed;
        this.relatedOption = relatedOption;
        this.relatedValue = relatedValue;
        this.relatedAllowed = relatedAllowed;
    }

    /** {@code option} was {@code value}, which it does not allow. */
    static InvalidOptionException of(String option, Object value, String allowed) {
        return new InvalidOptionException(option, String.valueOf(value), allowed, "", "", "");
    }

    /**
     * {@code option} was {@code value}, which contradicts {@code relatedOption}'s {@code
     * relatedValue}.
     *
     * @param allowed what {@code option} must be, given the other, worded in terms of the other's name
     * @param relatedAllowed what {@code relatedOption} would have to be instead, worded the same way
     */
    static InvalidOptionException conflict(
            String option,
            Object value,
            String allowed,
            String relatedOption,
            Object relatedValue,
            String relatedAllowed) {
        return new InvalidOptionException(
                option, String.valueOf(value), allowed, relatedOption, String.valueOf(relatedValue), relatedAllowed);
    }

    private static String message(
            String option, String value, String allowed, String relatedOption, String relatedValue) {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(allowed, "allowed");
        String related = relatedOption.isEmpty() ? "" : " (" + relatedValue + ")";
        return option + " must be " + allowed + related + ", but was " + value;
    }

    /** The option as the builder names it, such as {@code maxAttempts} or {@code budget.ratio}. */
    public String option() {
        return option;
    }

    /** The refused value, as the builder was given it. */
    public String value() {
        return value;
    }

    /**
     * What the option allows, worded to follow "must be": {@code a whole number of at least 1}. For
     * a conflict, worded in terms of the {@linkplain #relatedOption() related option's} name.
     */
    public String allowed() {
        return allowed;
    }

    /** The option this value contradicts, or {@code ""} when the value is refused on its own. */
    public String relatedOption() {
        return relatedOption;
    }

    /** The related option's value, or {@code ""} when there is none. */
    public String relatedValue() {
        return relatedValue;
    }

    /** What the related option would have to be to allow this value, or {@code ""} when there is none. */
    public String relatedAllowed() {
        return relatedAllowed;
    }
}
