package dev.retry.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One observed call: its {@code retry.call} observation and the {@code retry.attempt} children.
 *
 * <p>Retry attempts follow one another, so the one running is kept in a volatile field. Hedges of
 * one attempt run side by side: the first of them to succeed wins, and any that ends after a win,
 * or after its attempt is over, was stopped by the hedging policy and ends {@code cancelled} (or
 * {@code timeout} when what stopped it was the attempt's timeout).
 */
final class ObservedCall implements CallObserver {

    private final ObservationRegistry registry;
    private final @Nullable RetryAttemptObservationConvention attemptConvention;
    private final RetryCallContext context;
    private final Observation call;
    private final boolean hedged;
    private final boolean retried;
    private Observation.@Nullable Scope callScope;

    /** Retry attempts started; written by the one attempt starting, which follows the last one's end. */
    private volatile int attempts;

    private volatile @Nullable Attempt current;
    private volatile @Nullable AttemptOutcome lastOutcome;

    private ObservedCall(
            ObservationRegistry registry,
            @Nullable RetryAttemptObservationConvention attemptConvention,
            RetryCallContext context,
            Observation call,
            boolean hedged,
            boolean retried) {
        this.registry = registry;
        this.attemptConvention = attemptConvention;
        this.context = context;
        this.call = call;
        this.hedged = hedged;
        this.retried = retried;
    }

    static ObservedCall start(
            ObservationRegistry registry,
            @Nullable RetryCallObservationConvention callConvention,
            @Nullable RetryAttemptObservationConvention attemptConvention,
            ObservedMethod method,
            boolean hedged,
            boolean retried) {
        RetryCallContext context = new RetryCallContext(method);
        Observation call = RetryObservationDocumentation.CALL
                .observation(callConvention, new DefaultRetryCallObservationConvention(), () -> context, registry)
                .start();
        ObservedCall observed = new ObservedCall(registry, attemptConvention, context, call, hedged, retried);
        observed.callScope = call.openScope();
        return observed;
    }

    @Override
    public void leaveCallScope() {
        Observation.Scope scope = callScope;
        if (scope != null) {
            callScope = null;
            scope.close();
        }
    }

    @Override
    public void callEnded(@Nullable Throwable failure) {
        AttemptOutcome last = lastOutcome;
        boolean succeeded = last == null ? failure == null : last == AttemptOutcome.SUCCESS;
        String outcome = succeeded ? "success" : "failure";
        if (retried && attempts > 1) {
            outcome += "_after_retry";
        }
        context.setOutcome(outcome);
        Throwable cause = AttemptOutcome.unwrap(failure);
        if (cause != null) {
            call.error(cause);
        }
        call.stop();
    }

    @Override
    public Object attemptStarted(boolean inScope) {
        int number = attempts + 1;
        attempts = number;
        context.setAttempts(number);
        Observation observation = hedged ? null : observe(number, number == 1 ? AttemptKind.FIRST : AttemptKind.RETRY);
        Attempt attempt = new Attempt(number, observation);
        if (inScope && observation != null) {
            attempt.scope = observation.openScope();
        }
        current = attempt;
        return attempt;
    }

    @Override
    public void attemptEnded(Object handle, @Nullable Throwable failure) {
        Attempt attempt = (Attempt) handle;
        AttemptOutcome outcome = AttemptOutcome.of(failure);
        lastOutcome = outcome;
        attempt.ended = outcome;
        Observation.Scope scope = attempt.scope;
        if (scope != null) {
            scope.close();
        }
        if (attempt.observation != null) {
            end(attempt.observation, outcome, failure);
        } else if (attempt.invocations.get() == 0) {
            // Hedged, but refused before anything was invoked: the attempt is still one to show.
            end(observe(attempt.number, attempt.number == 1 ? AttemptKind.FIRST : AttemptKind.RETRY), outcome, failure);
        }
    }

    @Override
    public Object invocationStarted() {
        Attempt attempt = current;
        if (attempt == null) {
            return Invocation.NONE; // invoked outside any retry attempt we saw: nothing to make current
        }
        if (!hedged) {
            return attempt.observation != null && attempt.scope == null
                    ? new Invocation(attempt, null, attempt.observation.openScope())
                    : Invocation.NONE;
        }
        int index = attempt.invocations.getAndIncrement();
        AttemptKind kind = index > 0 ? AttemptKind.HEDGE : attempt.number == 1 ? AttemptKind.FIRST : AttemptKind.RETRY;
        Observation observation = observe(attempt.number, kind);
        return new Invocation(attempt, observation, observation.openScope());
    }

    @Override
    public void invocationLeft(Object handle) {
        Invocation invocation = (Invocation) handle;
        if (invocation.scope != null) {
            invocation.scope.close();
        }
    }

    @Override
    public void invocationEnded(Object handle, @Nullable Throwable failure) {
        Invocation invocation = (Invocation) handle;
        Observation observation = invocation.observation;
        if (observation == null) {
            return; // the retry attempt's own observation, which its end stops
        }
        Attempt attempt = invocation.attempt;
        AttemptOutcome ended = attempt.ended;
        AttemptOutcome outcome;
        if (failure == null && ended == null && attempt.won.compareAndSet(false, true)) {
            outcome = AttemptOutcome.SUCCESS;
        } else if (attempt.won.get() || ended != null) {
            outcome = ended == AttemptOutcome.TIMEOUT ? AttemptOutcome.TIMEOUT : AttemptOutcome.CANCELLED;
        } else {
            outcome = AttemptOutcome.of(failure);
        }
        end(observation, outcome, failure);
    }

    private Observation observe(int number, AttemptKind kind) {
        RetryAttemptContext attempt = new RetryAttemptContext(context, number, kind);
        return RetryObservationDocumentation.ATTEMPT
                .observation(attemptConvention, new DefaultRetryAttemptObservationConvention(), () -> attempt, registry)
                .parentObservation(call)
                .start();
    }

    private static void end(Observation observation, AttemptOutcome outcome, @Nullable Throwable failure) {
        ((RetryAttemptContext) observation.getContext()).setOutcome(outcome);
        Throwable cause = AttemptOutcome.unwrap(failure);
        if (cause != null && outcome != AttemptOutcome.CANCELLED && outcome != AttemptOutcome.SUCCESS) {
            observation.error(cause);
        }
        observation.stop();
    }

    /** One retry attempt; {@code observation} is {@code null} when hedged (each invocation has its own). */
    private static final class Attempt {

        final int number;
        final @Nullable Observation observation;
        final AtomicInteger invocations = new AtomicInteger();
        final AtomicBoolean won = new AtomicBoolean();
        Observation.@Nullable Scope scope;
        volatile @Nullable AttemptOutcome ended;

        Attempt(int number, @Nullable Observation observation) {
            this.number = number;
            this.observation = observation;
        }
    }

    /** One invocation of the method: the scope it opened, and its own observation when hedged. */
    private record Invocation(
            @Nullable Attempt attempt, @Nullable Observation observation, Observation.@Nullable Scope scope) {

        static final Invocation NONE = new Invocation(null, null, null);
    }
}
