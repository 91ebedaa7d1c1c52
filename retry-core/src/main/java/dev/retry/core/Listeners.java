package dev.retry.core;

import java.util.function.BiConsumer;

/**
 * Tells each of a policy's listeners about an event, so that one that throws neither changes the
 * outcome of the call nor keeps the others from hearing it: the failure is logged and the call goes on.
 */
final class Listeners {

    private Listeners() {
    }

    static <L, E> void tellEach(L[] listeners, E event, BiConsumer<L, E> method, String methodName, Class<?> policyType,
            String policy) {
        for (L listener : listeners) {
            try {
                method.accept(listener, event);
            } catch (RuntimeException failure) {
                System.getLogger(policyType.getName()).log(System.Logger.Level.WARNING,
                        () -> policyType.getSimpleName() + " listener " + listener + "." + methodName + " failed for '"
                                + policy + "'; the call goes on unaffected", failure);
            }
        }
    }
}
