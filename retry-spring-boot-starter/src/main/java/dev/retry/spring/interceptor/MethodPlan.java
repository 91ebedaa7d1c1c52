package dev.retry.spring.interceptor;

import dev.retry.core.Pipeline;
import dev.retry.spring.observation.MethodObserver;
import org.jspecify.annotations.Nullable;

/**
 * Everything about one annotated method that a call needs, resolved when its bean was created.
 *
 * @param pipeline the method's policies, nested in the contract's order
 * @param returnKind how the method delivers its outcome
 * @param repeats whether an invocation may run more than once (a retry, a hedge, a publisher
 *     subscribed again). An invocation can be proceeded only once, so then every attempt runs on its
 *     own copy of the caller's invocation, and interceptors inside this one (a transaction, say) run
 *     again for each attempt; except where nothing but the method runs inside this one and the call
 *     finishes on the caller's thread (a plain, unhedged method): there every attempt proceeds the
 *     caller's invocation itself, which then goes straight to the method (see
 *     {@link RetryMethodInterceptor})
 * @param hedged whether attempts may run on other threads at once, which then need the caller's context
 * @param observer observes the method's calls; {@code null} when they are not observed. Then {@code
 *     pipeline} holds only the fallback and the retry, and {@code attempts} the rest, so that the
 *     observer sees each retry attempt between the two (see {@link ObservedCalls})
 * @param attempts with an observer, the policies of one retry attempt (bulkhead, breaker, timeout,
 *     hedge); otherwise {@code null} and all of them are in {@code pipeline}
 */
record MethodPlan(
        Pipeline pipeline,
        ReturnKind returnKind,
        boolean repeats,
        boolean hedged,
        @Nullable MethodObserver observer,
        @Nullable Pipeline attempts) {

    /** For the methods of an advised class that carry no annotation: the call simply proceeds. */
    static final MethodPlan NONE = new MethodPlan(null, ReturnKind.PLAIN, false, false, null, null);
}
