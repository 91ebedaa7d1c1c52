/**
 * The recent events of every named policy: bounded buffers, newest first, of what went wrong or
 * changed (retries, give-ups, breaker transitions and refusals, hedges, timeouts, bulkhead
 * refusals), fed through {@link dev.retry.spring.registry.PolicyListeners} and read by the {@code
 * retryevents} endpoint. A call that succeeds at its first attempt records nothing.
 */
package dev.retry.spring.events;
