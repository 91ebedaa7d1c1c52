package dev.retry.spring.registry;

/**
 * Thrown by a {@link PolicySource} when an annotation names an entry that is not configured, so
 * that the start-up failure can say how to fix exactly that.
 */
public class UnknownPolicyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param path the entry's property path, such as {@code retry.policies.inventroy}
     * @param configured the names that are configured in that section, in the order written
     */
    public UnknownPolicyException(String path, java.util.Collection<String> configured) {
        super("names " + path + ", which is not configured; the configured names are " + String.join(", ", configured));
    }
}
