package dev.retry.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The last successful result of each call key, bounded in number and age.
 *
 * <p>A key's result is replaced by every success. When more keys are held than allowed, the key
 * that was added longest ago goes first; a result older than the maximum age is never served. A
 * success costs one map write; reads happen only when a call has failed.
 */
final class LastKnownGood {

    private final int maxEntries;
    private final long maxAgeNanos;
    private final Ticker ticker;
    private final ConcurrentHashMap<Object, Entry> results = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Object> insertionOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    LastKnownGood(int maxEntries, long maxAgeNanos, Ticker ticker) {
        this.maxEntries = maxEntries;
        this.maxAgeNanos = maxAgeNanos;
        this.ticker = ticker;
    }

    /** Null keys and null results are stored under a stand-in, so that they can be served too. */
    private static final Object NULL = new Object();

    void remember(Object key, Object result) {
        Object storedKey = key == null ? NULL : key;
        Entry previous = results.put(storedKey, new Entry(result, ticker.nanoTime()));
        if (previous == null) {
            insertionOrder.add(storedKey);
            if (size.incrementAndGet() > maxEntries) {
                Object eldest = insertionOrder.poll();
                if (eldest != null && results.remove(eldest) != null) {
                    size.decrementAndGet();
                }
            }
        }
    }

    /** The fresh result for {@code key}, or {@link #NONE}. */
    Object lookup(Object key) {
        Entry entry = results.get(key == null ? NULL : key);
        if (entry == null || ticker.nanoTime() - entry.storedAt > maxAgeNanos) {
            return NONE;
        }
        return entry.result;
    }

    int size() {
        return results.size();
    }

    /** Tells "nothing stored" apart from a stored {@code null}. */
    static final Object NONE = new Object();

    private record Entry(Object result, long storedAt) {}
}
