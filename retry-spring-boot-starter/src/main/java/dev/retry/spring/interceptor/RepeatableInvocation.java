package dev.retry.spring.interceptor;

import org.aopalliance.intercept.MethodInvocation;

/**
 * An invocation that is not a Spring proxy's but can run its method again with other arguments, as
 * an AspectJ join point can ({@code retry-aspectj}'s woven calls). The interceptor needs that for a
 * Kotlin {@code suspend} function only: each attempt replaces the last argument, the continuation,
 * with one whose coroutine context carries the attempt's {@code RetryContext} and observation.
 */
public interface RepeatableInvocation extends MethodInvocation {

    /**
     * Runs the method once with {@code arguments} in place of the call's own, as {@link #proceed()}
     * runs it with the call's; for a {@code suspend} function, what it answers must be a Reactor
     * {@code Mono} of the coroutine's result, as Spring's proxy hands one to its interceptors.
     */
    Object proceed(Object[] arguments) throws Throwable;
}
