package dev.retry.spring.interceptor;

import dev.retry.core.CheckedFunction;
import dev.retry.core.Pipeline;
import dev.retry.spring.observation.CallObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * The calls of observed methods: {@link RetryMethodInterceptor#call} as it is, with the observer
 * told of the call, of each retry attempt and of each invocation of the method.
 *
 * <p>The plan's policies come in two pipelines here, the fallback and the retry outside, the
 * policies of one attempt inside (bulkhead, breaker, timeout, hedge), and between them each retry
 * attempt passes the observer: so the attempt's outcome is the one its policies give it (a timeout,
 * a refusal), in the contract's order still. Methods that are not observed never come here and pay
 * nothing for it.
 */
final class ObservedCalls {

    private ObservedCalls() {}

    static Object call(MethodPlan plan, MethodInvocation invocation, boolean innermost) throws Throwable {
        boolean copies = plan.repeats() && invocation instanceof ProxyMethodInvocation;
        switch (plan.returnKind()) {
            case MONO:
            case SUSPEND:
                return ReactorCalls.observedMono(plan, contextOf(plan, invocation, copies));
            case FLUX:
                return ReactorCalls.observedFlux(plan, contextOf(plan, invocation, copies));
            default:
                break;
        }
        CallObserver call = plan.observer().callStarted();
        if (plan.returnKind() == ReturnKind.COMPLETION_STAGE) {
            try {
                // Captured with the call's observation current, so every attempt's context has it too.
                CallerContext context = contextOf(plan, invocation, copies).observedBy(call);
                return startAsync(plan, context, call, returned -> RetryMethodInterceptor.asStage(returned, context));
            } finally {
                call.leaveCallScope();
            }
        }
        Object result;
        try {
            result = callSync(plan, invocation, innermost, copies, call);
        } catch (Throwable failure) {
            call.leaveCallScope();
            call.callEnded(failure);
            throw failure;
        }
        call.leaveCallScope();
        call.callEnded(null);
        return result;
    }

    private static Object callSync(
            MethodPlan plan, MethodInvocation invocation, boolean innermost, boolean copies, CallObserver call)
            throws Throwable {
        if (!plan.hedged()) {
            // Every attempt on the caller's thread: each is current there while the method runs.
            CheckedFunction<MethodInvocation, Object, Throwable> method =
                    copies && !innermost ? RetryMethodInterceptor.ATTEMPT_ON_COPY : RetryMethodInterceptor.PROCEED;
            return plan.pipeline().call(new SyncAttempt<>(plan.attempts(), method, call, true), invocation);
        }
        CallerContext context = contextOf(plan, invocation, copies).observedBy(call);
        return plan.pipeline().call(new SyncAttempt<>(plan.attempts(), CallerContext.ATTEMPT, call, false), context);
    }

    /**
     * Starts an asynchronous call; the future it returns completes once the observer has heard of
     * the call's end, and cancelling it cancels the call.
     */
    static <T> CompletableFuture<T> startAsync(
            MethodPlan plan, CallerContext context, CallObserver call, CallerContext.StageAdapter<T> adapter) {
        CompletableFuture<T> result = plan.pipeline()
                .callAsync(new AsyncAttempt<>(plan.attempts(), () -> context.attemptStage(adapter), call), context);
        return after(result, (value, failure) -> call.callEnded(failure));
    }

    /**
     * A future that completes as {@code source} does, but only after {@code first} has been told;
     * cancelling it cancels {@code source}, as cancelling {@code source} itself would have.
     */
    static <T> CompletableFuture<T> after(CompletionStage<T> source, BiConsumer<? super T, ? super Throwable> first) {
        CompletableFuture<T> told = new CompletableFuture<>();
        source.whenComplete((value, failure) -> {
            try {
                first.accept(value, failure);
            } finally {
                if (failure == null) {
                    told.complete(value);
                } else {
                    told.completeExceptionally(failure);
                }
            }
        });
        told.whenComplete((value, failure) -> {
            if (told.isCancelled()) {
                cancel(source);
            }
        });
        return told;
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // A stage that cannot be cancelled runs out, as it would without observations.
        }
    }

    private static CallerContext contextOf(MethodPlan plan, MethodInvocation invocation, boolean copies) {
        MethodInvocation base = copies ? ((ProxyMethodInvocation) invocation).invocableClone() : invocation;
        return CallerContext.capture(base, RetryMethodInterceptor.asyncAttempt(plan, copies));
    }

    /** One synchronous retry attempt: the attempt's policies around the method, told to the observer. */
    private record SyncAttempt<A>(
            Pipeline attempts, CheckedFunction<A, Object, Throwable> method, CallObserver call, boolean inScope)
            implements CheckedFunction<A, Object, Throwable> {

        @Override
        public Object apply(A argument) throws Throwable {
            Object attempt = call.attemptStarted(inScope);
            Object result;
            try {
                result = attempts.call(method, argument);
            } catch (Throwable failure) {
                call.attemptEnded(attempt, failure);
                throw failure;
            }
            call.attemptEnded(attempt, null);
            return result;
        }
    }

    /** One asynchronous retry attempt; the retry hears of its end only after the observer has. */
    private record AsyncAttempt<T>(Pipeline attempts, Supplier<CompletionStage<T>> method, CallObserver call)
            implements Supplier<CompletionStage<T>> {

        @Override
        public CompletionStage<T> get() {
            Object attempt = call.attemptStarted(false);
            // No fallback among an attempt's policies, so none is handed the argument.
            CompletableFuture<T> stage = attempts.callAsync(method, null);
            return after(stage, (value, failure) -> call.attemptEnded(attempt, failure));
        }
    }
}
