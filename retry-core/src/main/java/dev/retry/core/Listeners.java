package dev.retry.core;

/**
 * How every policy tells its listeners about an event: its {@code Safe*Listener} loops over the
 * listeners in the order they were registered and calls each in a {@code try}, handing any
 * {@link RuntimeException} to {@link #failed}. So a listener that throws neither changes the outcome
 * of the call nor keeps the others from hearing the event. An {@link Error} goes on, to the caller
 * or to the thread that completed the attempt, but only once the policy has done what the event
 * was about (counted the breaker's call, given back the bulkhead's permit, decided or launched the
 * hedge), so that no state is left behind that would refuse or hold calls for good.
 *
 * <p>The loops are written out per event rather than through one generic method taking a lambda:
 * the breaker's per-call event carries a {@code boolean} and a {@code long}, which a generic method
 * would box on every call that metrics listen to.
 */
final class Listeners {

    private Listeners() {}

    /**
     * Logs that {@code listener}'s {@code method} threw for the policy named {@code policy}; the
     * message is built only if the logger will print it.
     */
    static void failed(Class<?> policyType, Object listener, String method, String policy, RuntimeException failure) {
        System.getLogger(policyType.getName())
                .log(
                        System.Logger.Level.WARNING,
                        () -> policyType.getSimpleName() + " listener " + listener + "." + method + " failed for '"
                                + policy + "'; the call goes on unaffected",
                        failure);
    }
}
