package dev.retry.benchmarks;

/**
 * The downstream call as one library protects it, built once in a benchmark's {@code @Setup}.
 *
 * <p>Every variant of a benchmark, the direct call included, goes through this one interface, so the
 * indirection costs all of them alike. Each JMH fork runs one variant only, so the call site stays
 * monomorphic and is inlined as a real caller's would be.
 */
@FunctionalInterface
interface ProtectedCall {

    String call(String request) throws Exception;
}
