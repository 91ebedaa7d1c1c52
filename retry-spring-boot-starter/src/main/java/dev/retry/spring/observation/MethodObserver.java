package dev.retry.spring.observation;

/** Observes the calls of one annotated method; see {@link MethodObservers}. */
@FunctionalInterface
public interface MethodObserver {

    /**
     * Starts observing one call on the thread that makes it, and makes the call's observation the
     * current one on this thread until {@link CallObserver#leaveCallScope()}.
     */
    CallObserver callStarted();
}
