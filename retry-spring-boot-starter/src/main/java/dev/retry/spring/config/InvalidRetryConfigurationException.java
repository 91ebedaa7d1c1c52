package dev.retry.spring.config;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code retry.*} configuration holds values that cannot be used. Thrown at start-up, once, with
 * every bad value found, so that one round of fixes is enough; the application does not start.
 */
public final class InvalidRetryConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How every line of the message starts, at start-up and for a change refused while running. */
    public static final String PREFIX = "Invalid retry configuration: ";

    /** Arrays rather than Lists, whose type is not Serializable, so the exception stays serializable. */
    private final Problem[] problems;

    private final UnknownKey[] unknownKeys;

    /**
     * @param problems what is wrong, at least one
     */
    public InvalidRetryConfigurationException(List<Problem> problems) {
        this(problems, List.of());
    }

    /**
     * @param problems the bad values
     * @param unknownKeys the keys written under {@code retry} that it does not read; at least one
     *     problem or unknown key in all
     */
    public InvalidRetryConfigurationException(List<Problem> problems, List<UnknownKey> unknownKeys) {
        super(message(problems, unknownKeys));
        this.problems = problems.toArray(Problem[]::new);
        this.unknownKeys = unknownKeys.toArray(UnknownKey[]::new);
    }

    /** Every bad value, in the order the configuration was read. */
    public List<Problem> problems() {
        return List.of(problems);
    }

    /** Every key that retry does not read, in the order the property sources gave them. */
    public List<UnknownKey> unknownKeys() {
        return List.of(unknownKeys);
    }

    private static String message(List<Problem> problems, List<UnknownKey> unknownKeys) {
        if (problems.isEmpty() && unknownKeys.isEmpty()) {
            throw new IllegalArgumentException("an invalid configuration has at least one problem");
        }
        // One line per problem, each complete on its own, so a log search for the path finds it.
        return Stream.concat(
                        problems.stream().map(Problem::describe),
                        unknownKeys.stream().map(UnknownKey::describe))
                .map(line -> PREFIX + line)
                .collect(Collectors.joining("\n"));
    }

    /**
     * One bad value.
     *
     * @param path the full property path, such as {@code retry.policies.inventory.max-attempts}
     * @param value the value as it was bound
     * @param allowed what would be accepted there, worded to follow "it must be"
     * @param finding what was found wrong beyond that, such as that no class of that name exists,
     *     or {@code ""}
     */
    public record Problem(String path, String value, String allowed, String finding) implements Serializable {

        public Problem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(allowed, "allowed");
            Objects.requireNonNull(finding, "finding");
        }

        /** A bad value with nothing to add to what is allowed. */
        public Problem(String path, String value, String allowed) {
            this(path, value, allowed, "");
        }

        /** {@code <path> was '<value>', but it must be <allowed>[, and <finding>]}. */
        public String describe() {
            return path + " was '" + value + "', but it must be " + allowed
                    + (finding.isEmpty() ? "" : ", and " + finding);
        }
    }

    /**
     * A key written under {@code retry} that retry does not read: a misspelling, most often, whose
     * value would otherwise be ignored without a word.
     *
     * @param path the key, such as {@code retry.policies.inventory.max-attemps}
     * @param value the value written there
     * @param origin where it was written (a file and line), or {@code ""} when unknown
     * @param suggestion the key that was probably meant, or {@code ""} when none is close
     * @param keys the keys that may stand where it stands, worded to follow "retry reads"
     */
    public record UnknownKey(String path, String value, String origin, String suggestion, String keys)
            implements Serializable {

        public UnknownKey {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(suggestion, "suggestion");
            Objects.requireNonNull(keys, "keys");
        }

        /** {@code <path> (<origin>) is not a key retry reads, so its value '<value>' would be ignored; ...}. */
        public String describe() {
            return path + (origin.isEmpty() ? "" : " (" + origin + ")") + " is not a key retry reads, so its value '"
                    + value + "' would be ignored; " + (suggestion.isEmpty() ? "" : "did you mean " + suggestion + "? ")
                    + "Retry reads " + keys + " there";
        }

        /** What to do about it, worded as one line of an action list. */
        public String action() {
            return suggestion.isEmpty()
                    ? "remove " + path + ", or write one of " + keys
                    : "rename " + path + " to " + suggestion;
        }
    }
}
