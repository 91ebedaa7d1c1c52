package dev.retry.sample.downstream;

/**
 * The faults the downstream injects right now; changed at any moment from another thread (the
 * dashboard, the demo), so it is one immutable preset behind a volatile field.
 */
public final class Faults {

    private volatile FaultPreset current = FaultPreset.HEALTHY;

    public FaultPreset current() {
        return current;
    }

    public void set(FaultPreset preset) {
        this.current = preset;
    }
}
