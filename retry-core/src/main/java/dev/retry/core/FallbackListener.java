package dev.retry.core;

/** Hears every failure a fallback policy answered. */
public interface FallbackListener {

    /**
     * A failed call was answered by a fallback.
     *
     * @param fallback the name of the fallback policy
     * @param failure what the call threw
     * @param lastKnownGood whether the answer was the last good result rather than a handler's
     */
    void onFallback(String fallback, Throwable failure, boolean lastKnownGood);
}
