package dev.retry.benchmarks;

import dev.retry.core.CheckedFunction;

/**
 * The protected call of every benchmark. It succeeds at once and does nothing but hand back its
 * argument, so what a benchmark measures is the library wrapped around it, never the call.
 */
final class Downstream {

    /**
     * One function object for every call: {@code retry}'s pipeline takes a function and its argument
     * separately, so passing this allocates nothing.
     */
    static final CheckedFunction<String, String, RuntimeException> FUNCTION = Downstream::call;

    private Downstream() {}

    static String call(String request) {
        return request;
    }
}
