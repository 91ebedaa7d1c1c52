package dev.retry.core;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A call that plays back a script, one step per attempt: throw this, return that, and optionally
 * take some virtual time first. It remembers what the retry context said during each attempt.
 */
final class ScriptedCall<T> implements CheckedSupplier<T, Exception> {

    private final Deque<Object> steps = new ArrayDeque<>();
    private final VirtualClock time;
    private Duration attemptDuration = Duration.ZERO;
    final List<Integer> attemptsSeen = new ArrayList<>();
    final List<String> keysSeen = new ArrayList<>();
    int calls;

    ScriptedCall(VirtualClock time) {
        this.time = time;
    }

    /** Each step is either an exception to throw or a value to return; the last step repeats. */
    static <T> ScriptedCall<T> of(VirtualClock time, Object... steps) {
        ScriptedCall<T> call = new ScriptedCall<>(time);
        for (Object step : steps) {
            call.steps.add(step);
        }
        return call;
    }

    ScriptedCall<T> eachTaking(Duration duration) {
        this.attemptDuration = duration;
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() throws Exception {
        calls++;
        RetryContext context = RetryContext.current();
        attemptsSeen.add(context.attempt());
        keysSeen.add(context.idempotencyKey());
        if (!attemptDuration.isZero()) {
            time.advance(attemptDuration);
        }
        Object step = steps.size() > 1 ? steps.poll() : steps.peek();
        if (step instanceof Exception exception) {
            throw exception;
        }
        if (step instanceof Error error) {
            throw error;
        }
        return (T) step;
    }
}
