package dev.retry.spring.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last events of one name: a fixed ring that any number of threads write to without a lock.
 *
 * <h2>How it works</h2>
 *
 * <p>A writer takes the next sequence number and puts its event, stamped with that number, in the
 * slot the number falls on, overwriting whatever lapped event was there. A reader takes the number
 * of events written so far and walks back over the last {@code capacity} numbers, keeping each slot
 * whose stamp is the number it expects. A slot whose writer has taken its number but not yet
 * written, or that a writer one lap ahead has already taken over, holds another stamp and is
 * skipped: the reader never returns an event twice, out of order or from a lap it did not ask for.
 * Events are immutable and slots are swapped whole, so none is ever seen half written.
 *
 * <p>Memory is the ring, allocated once, and the events it holds: at most {@code capacity}.
 */
final class EventBuffer {

    private static final EventBuffer OFF = new EventBuffer(0);

    /** One event with its place in the sequence of everything written here. */
    private record Stamped(long sequence, RecentEvent event) {}

    private final AtomicReferenceArray<Stamped> slots;
    private final AtomicLong written = new AtomicLong();

    private EventBuffer(int capacity) {
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    /** A buffer that keeps the last {@code capacity} events; with 0, one that keeps nothing. */
    static EventBuffer of(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 or more, but was " + capacity);
        }
        return capacity == 0 ? OFF : new EventBuffer(capacity);
    }

    void add(RecentEvent event) {
        int capacity = slots.length();
        if (capacity == 0) {
            return;
        }
        long sequence = written.getAndIncrement();
        slots.set((int) (sequence % capacity), new Stamped(sequence, event));
    }

    /** The events kept, newest first. */
    List<RecentEvent> newestFirst() {
        int capacity = slots.length();
        long end = written.get();
        long start = Math.max(0, end - capacity);
        List<RecentEvent> events = new ArrayList<>((int) (end - start));
        for (long sequence = end - 1; sequence >= start; sequence--) {
            Stamped slot = slots.get((int) (sequence % capacity));
            if (slot != null && slot.sequence() == sequence) {
                events.add(slot.event());
            }
        }
        return events;
    }

    /** Forgets every event kept; events written meanwhile may survive, as if written just after. */
    void clear() {
        for (int slot = 0; slot < slots.length(); slot++) {
            slots.set(slot, null);
        }
    }

    int capacity() {
        return slots.length();
    }
}
