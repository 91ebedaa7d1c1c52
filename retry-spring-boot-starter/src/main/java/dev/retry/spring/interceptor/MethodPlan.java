package dev.retry.spring.interceptor;

import dev.retry.core.Pipeline;

/**
 * Everything about one annotated method that a call needs, resolved when its bean was created.
 *
 * @param pipeline the method's policies, nested in the contract's order
 * @param returnKind how the method delivers its outcome
 * @param repeats whether an invocation may run more than once (a retry, a hedge, a publisher
 *     subscribed again), in which case every
 *     attempt runs on its own copy of the invocation, so that interceptors inside this one (a
 *     transaction, say) run again for each attempt
 * @param hedged whether attempts may run on other threads at once, which then need the caller's context
 */
record MethodPlan(Pipeline pipeline, ReturnKind returnKind, boolean repeats, boolean hedged) {

    /** For the methods of an advised class that carry no annotation: the call simply proceeds. */
    static final MethodPlan NONE = new MethodPlan(null, ReturnKind.PLAIN, false, false);
}
