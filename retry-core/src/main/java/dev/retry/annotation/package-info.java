/**
 * The annotations a Spring application puts on its methods (or classes, then on every public
 * method): each names an entry of {@code application.yml} under {@code retry.*}. They combine freely
 * on one method and always nest in the same order, outermost first: {@link Fallback}, {@link
 * Retryable}, {@link Bulkhead}, {@link CircuitBreaker}, {@link Timeout}, {@link Hedged}, the method.
 *
 * <p>Attributes that override the YAML inline are unset by default ({@code -1} for numbers, {@code
 * ""} for durations and names), so that the YAML value applies. Durations are written as in YAML:
 * {@code "250ms"}, {@code "2s"}, {@code "1m"}.
 */
@NullMarked
package dev.retry.annotation;

import org.jspecify.annotations.NullMarked;
