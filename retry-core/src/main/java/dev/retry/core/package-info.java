/**
 * The {@code retry} engine: policies that make a call resilient, built by validating builders into
 * immutable configurations, with time, sleeping and randomness injected so that every behaviour can
 * be tested in virtual time.
 *
 * <p>Types in this package are the API. Classes that implement it are package-private, so the
 * exported surface is exactly what is public here.
 */
@NullMarked
package dev.retry.core;

import org.jspecify.annotations.NullMarked;
