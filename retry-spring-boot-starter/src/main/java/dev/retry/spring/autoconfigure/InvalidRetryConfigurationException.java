package dev.retry.spring.autoconfigure;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The {@code retry.*} configuration holds values that cannot be used. Thrown at start-up, once, with
 * every bad value found, so that one round of fixes is enough; the application does not start.
 */
public final class InvalidRetryConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How every line of the message starts. */
    static final String PREFIX = "Invalid retry configuration: ";

    /** An array rather than a List, whose type is not Serializable, so the exception stays serializable. */
    private final Problem[] problems;

    /**
     * @param problems what is wrong, at least one
     */
    public InvalidRetryConfigurationException(List<Problem> problems) {
        super(message(problems));
        this.problems = problems.toArray(Problem[]::new);
    }

    /** Every bad value, in the order the configuration was read. */
    public List<Problem> problems() {
        return List.of(problems);
    }

    private static String message(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid configuration has at least one problem");
        }
        // One line per problem, each complete on its own, so a log search for the path finds it.
        return problems.stream().map(problem -> PREFIX + problem.describe()).collect(Collectors.joining("\n"));
    }

    /**
     * One bad value.
     *
     * @param path the full property path, such as {@code retry.policies.inventory.max-attempts}
     * @param value the value as it was bound
     * @param allowed what would be accepted there, worded to follow "it must be"
     */
    public record Problem(String path, String value, String allowed) implements Serializable {

        public Problem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(allowed, "allowed");
        }

        /** {@code <path> was '<value>', but it must be <allowed>}. */
        public String describe() {
            return path + " was '" + value + "', but it must be " + allowed;
        }
    }
}
