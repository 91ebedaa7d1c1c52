package dev.retry.spring.events;

/** The sections of the {@code retryevents} endpoint, one per kind of policy, in the order it lists them. */
public enum EventSection {
    POLICIES("policies"),
    CIRCUIT_BREAKERS("circuit-breakers"),
    HEDGES("hedges"),
    TIMEOUTS("timeouts"),
    BULKHEADS("bulkheads");

    private final String key;

    EventSection(String key) {
        this.key = key;
    }

    /** The section's name in the endpoint's answer and path, as in {@code application.yml}. */
    public String key() {
        return key;
    }
}
