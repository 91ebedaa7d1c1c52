package dev.retry.spring.interceptor;

import dev.retry.core.CheckedFunction;
import dev.retry.spring.observation.MethodObservers;
import dev.retry.spring.registry.PolicySource;
import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;

/**
 * The one interceptor behind {@code retry}'s annotations: it finds the method's {@link MethodPlan}
 * and runs the call through the plan's pipeline.
 *
 * <p>Plans are resolved when the bean is created (see {@link RetryAnnotationBeanPostProcessor}), so a
 * call does no reflection, no string building and no lookup by name. In the proxies our post-processor
 * creates, this interceptor is replaced, method by method, by one that already holds the plan (see
 * {@link PlannedAdvisorChainFactory}); where our advisor was added to a proxy someone else made, a call
 * finds its plan by the identity of its {@link Method}, which the proxy keeps and passes every time.
 * A plain {@code MethodInterceptor} rather than an {@code @Around} advice, because it costs a fraction
 * of one per call.
 *
 * <p>An invocation can be proceeded once: proceeding moves it along its interceptor chain. So when
 * interceptors run inside this one (a transaction, say), every attempt runs on its own copy of the
 * invocation, cloned from the caller's untouched one, and those inner interceptors run again for every
 * attempt. When nothing runs inside this one but the method, proceeding goes straight to the method
 * every time, and the attempts of a call that finishes on the caller's thread all proceed the caller's
 * own invocation: no copy at all.
 */
public final class RetryMethodInterceptor implements MethodInterceptor {

    /** Runs one attempt on its own copy of the invocation, so inner interceptors run again too. */
    static final CheckedFunction<MethodInvocation, Object, Throwable> ATTEMPT_ON_COPY =
            invocation -> ((ProxyMethodInvocation) invocation).invocableClone().proceed();

    static final CheckedFunction<MethodInvocation, Object, Throwable> PROCEED = MethodInvocation::proceed;

    /**
     * How many method instances {@link #byInstance} remembers at most: proxies pass the same instance
     * of a method every time, so a few per proxied method; the bound only guards against a caller that
     * makes a new one per call.
     */
    private static final int MAX_REMEMBERED_INSTANCES = 1024;

    private final MethodPlanResolver resolver;

    /**
     * Plans by method and the class that implements it: one {@link Method} can stand for several
     * beans' methods (an interface's method, or one inherited from a common superclass), each with
     * annotations of its own.
     */
    private final Map<MethodOfClass, MethodPlan> plans = new ConcurrentHashMap<>();

    /**
     * The plan last found for each {@link Method} instance calls have arrived with, compared with
     * {@code ==}, together with the concrete class of the target it was found for: a lookup that never
     * runs {@link Method#equals}. Copied on write, as it only grows while the application warms up;
     * read without a lock. A call on a target of another class finds its plan in {@link #plans}.
     */
    private volatile IdentityHashMap<Method, Remembered> byInstance = new IdentityHashMap<>();

    private final Object rememberLock = new Object();

    /** A method as one class implements it: the key of a plan. */
    private record MethodOfClass(Method method, Class<?> targetClass) {}

    /** A plan found for a method instance on a target of {@code targetType}, its concrete class. */
    private record Remembered(Class<?> targetType, MethodPlan plan) {}

    /** An interceptor whose calls are not observed. */
    public RetryMethodInterceptor(PolicySource policies) {
        this(policies, () -> MethodObservers.NONE);
    }

    /**
     * @param observers whether and how each method's calls are observed; asked once, when the first
     *     plan is resolved (so that a bean behind it is created no earlier than the policies are)
     */
    public RetryMethodInterceptor(PolicySource policies, Supplier<MethodObservers> observers) {
        this.resolver = new MethodPlanResolver(policies, new Once<>(observers));
    }

    /** Asks its source once and remembers the answer. */
    private static final class Once<T> implements Supplier<T> {

        private final Supplier<T> source;
        private volatile T value;

        Once(Supplier<T> source) {
            this.source = source;
        }

        @Override
        public T get() {
            T known = value;
            if (known == null) {
                synchronized (this) {
                    known = value;
                    if (known == null) {
                        known = source.get();
                        value = known;
                    }
                }
            }
            return known;
        }
    }

    /**
     * Resolves and checks the plans of every method of {@code targetClass}, so that a problem stops
     * the application at start-up rather than at the first call.
     */
    void prepare(Class<?> targetClass) {
        annotatedMethods(targetClass);
    }

    /**
     * Resolves and checks, once, the plan of every method of {@code targetClass} (its public methods,
     * inherited ones included, and those it declares, private and static ones included), and
     * returns the methods that carry one of {@code retry}'s annotations, as {@code targetClass}
     * implements them. For an aspect woven into the class (see {@code retry-aspectj}), which checks
     * its beans at start-up with this, as the proxy path does when it creates them.
     *
     * @throws InvalidRetryAnnotationException naming the first method that cannot work as written
     */
    public Set<Method> annotatedMethods(Class<?> targetClass) {
        Set<Method> annotated = new LinkedHashSet<>();
        if (!AopUtils.canApply(MethodPlanResolver.POINTCUT, targetClass)) {
            return annotated;
        }
        for (Method method : targetClass.getMethods()) {
            addIfPlanned(annotated, method, targetClass);
        }
        for (Method method : targetClass.getDeclaredMethods()) {
            addIfPlanned(annotated, method, targetClass);
        }
        return annotated;
    }

    private void addIfPlanned(Set<Method> annotated, Method method, Class<?> targetClass) {
        if (KotlinCalls.isSuspendImplementation(method)) {
            return; // never called by anyone but its suspend function, which carries the plan
        }
        if (planFor(method, targetClass) != MethodPlan.NONE) {
            annotated.add(AopUtils.getMostSpecificMethod(method, targetClass));
        }
    }

    /**
     * Runs the call through the plan of its method, resolved on the first call of that method on a
     * target of that class and found by the identity of its {@link Method} after that.
     *
     * <p>Besides a proxy's invocations, this takes those an aspect woven into the class makes of its
     * join points (see {@code retry-aspectj}): an invocation that is not a Spring {@link
     * ProxyMethodInvocation} is proceeded once per attempt, so its {@code proceed()} must run the
     * method again every time it is called, from any thread (hedges run on others), and {@link
     * MethodInvocation#getMethod()} should return the same instance on every call. Its {@code
     * getThis()} is {@code null} for a static method.
     */
    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Class<?> targetType = target != null ? target.getClass() : null;
        Remembered remembered = byInstance.get(method);
        MethodPlan plan = remembered != null && remembered.targetType() == targetType
                ? remembered.plan()
                : remember(method, target, targetType);
        // Someone else's proxy: what runs inside us is theirs to change, so never assume nothing does.
        return call(plan, invocation, false);
    }

    /**
     * Makes the call through {@code plan}.
     *
     * @param innermost whether nothing but the method itself runs inside this interceptor
     */
    static Object call(MethodPlan plan, MethodInvocation invocation, boolean innermost) throws Throwable {
        if (plan == MethodPlan.NONE) {
            return invocation.proceed();
        }
        if (plan.observer() != null) {
            return ObservedCalls.call(plan, invocation, innermost);
        }
        boolean copies = plan.repeats() && invocation instanceof ProxyMethodInvocation;
        if (plan.returnKind() == ReturnKind.PLAIN && !plan.hedged()) {
            // Every attempt runs on the caller's thread and the call is over when this returns. Copies
            // are cloned from the caller's invocation, which is then never proceeded and stays pristine
            // for each of them; innermost, it is proceeded once per attempt, straight to the method.
            return plan.pipeline().call(copies && !innermost ? ATTEMPT_ON_COPY : PROCEED, invocation);
        }
        // Attempts may run later, on other threads, or side by side (hedges), and their copies are
        // cloned from one taken now, before anything proceeds. They copy even when innermost: they
        // allocate futures anyway.
        MethodInvocation base = copies ? ((ProxyMethodInvocation) invocation).invocableClone() : invocation;
        CallerContext call = CallerContext.capture(base, asyncAttempt(plan, copies));
        switch (plan.returnKind()) {
            case COMPLETION_STAGE:
                return plan.pipeline().callAsync(() -> stageOf(call), call);
            case MONO:
            case SUSPEND:
                return ReactorCalls.mono(plan.pipeline(), () -> unchecked(call), call);
            case FLUX:
                return ReactorCalls.flux(plan.pipeline(), () -> unchecked(call), call);
            default:
                return plan.pipeline().call(CallerContext.ATTEMPT, call);
        }
    }

    /**
     * What proceeds one attempt of an asynchronous call: its own copy of the invocation when they
     * repeat, which for a {@code suspend} function carries the attempt into its coroutine.
     */
    static CheckedFunction<MethodInvocation, Object, Throwable> asyncAttempt(MethodPlan plan, boolean copies) {
        if (plan.returnKind() == ReturnKind.SUSPEND) {
            return KotlinCalls.ATTEMPT;
        }
        return copies ? ATTEMPT_ON_COPY : PROCEED;
    }

    /**
     * The plan of a method instance called on a target of a class not seen with it last time,
     * remembered by identity from now on (the first class seen keeps its place: a method shared by
     * beans of several classes is then found in {@link #plans}).
     */
    private MethodPlan remember(Method method, Object target, Class<?> targetType) {
        MethodPlan plan =
                planFor(method, target != null ? AopUtils.getTargetClass(target) : method.getDeclaringClass());
        synchronized (rememberLock) {
            IdentityHashMap<Method, Remembered> known = byInstance;
            if (known.size() < MAX_REMEMBERED_INSTANCES && !known.containsKey(method)) {
                IdentityHashMap<Method, Remembered> grown = new IdentityHashMap<>(known);
                grown.put(method, new Remembered(targetType, plan));
                byInstance = grown;
            }
        }
        return plan;
    }

    /** The plan of {@code method} as {@code targetClass} implements it, resolved on first request. */
    MethodPlan planFor(Method method, Class<?> targetClass) {
        MethodOfClass key = new MethodOfClass(method, targetClass);
        MethodPlan plan = plans.get(key);
        if (plan == null) {
            Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
            plan = resolver.resolve(specific, targetClass);
            MethodPlan raced = plans.putIfAbsent(key, plan);
            plan = raced != null ? raced : plan;
            plans.putIfAbsent(new MethodOfClass(specific, targetClass), plan);
        }
        return plan;
    }

    private static CompletionStage<Object> stageOf(CallerContext call) {
        try {
            return asStage(call.attempt(), call);
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /** What a {@code CompletionStage} method returned, as the stage its attempt is. */
    @SuppressWarnings("unchecked")
    static CompletionStage<Object> asStage(Object stage, CallerContext call) {
        if (stage == null) {
            return CompletableFuture.failedFuture(
                    new NullPointerException(MethodPlanResolver.describe(call.invocation.getMethod())
                            + " returned null instead of a CompletionStage"));
        }
        return (CompletionStage<Object>) stage;
    }

    /** Lets the attempt's own failure out of a {@code Supplier}, unwrapped; the pipeline catches it. */
    private static Object unchecked(CallerContext call) {
        try {
            return call.attempt();
        } catch (Throwable failure) {
            throw RetryMethodInterceptor.<RuntimeException>sneaky(failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }
}
