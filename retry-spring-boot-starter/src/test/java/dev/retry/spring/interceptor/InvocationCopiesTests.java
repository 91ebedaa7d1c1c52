package dev.retry.spring.interceptor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.Retryable;
import dev.retry.spring.interceptor.RetryMethodInterceptorTests.NamedPolicies;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AdvisedSupport;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.ReflectiveMethodInvocation;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.cglib.proxy.Factory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.test.util.AopTestUtils;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * When the attempts of a call run on copies of its invocation and when they need none: inner
 * interceptors must run again for every attempt, and where there are none, no copy is made.
 */
class InvocationCopiesTests {

    /** Fails the first attempt of every call and succeeds at the second. */
    static class Flaky {

        final AtomicInteger attempts = new AtomicInteger();

        @Retryable
        public String fetch(String what) {
            if (attempts.incrementAndGet() % 2 == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return what + ":fetched";
        }
    }

    /** Counts the calls that pass it, as a transaction or an audit log would see them. */
    static final class CountingInterceptor implements MethodInterceptor {

        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            calls.incrementAndGet();
            return invocation.proceed();
        }
    }

    /** Another library's advising post-processor, coming after ours, as {@code @Validated} or {@code @Async} do. */
    static final class CountingPostProcessor extends AbstractAdvisingBeanPostProcessor {

        private static final long serialVersionUID = 1L;

        final transient CountingInterceptor interceptor = new CountingInterceptor();

        CountingPostProcessor(boolean beforeExistingAdvisors) {
            this.advisor = new DefaultPointcutAdvisor(interceptor);
            setBeforeExistingAdvisors(beforeExistingAdvisors);
        }
    }

    /** An invocation that refuses to be copied, to show that no attempt asked for a copy. */
    static final class UncopyableInvocation extends ReflectiveMethodInvocation {

        UncopyableInvocation(Object target, Method method, Object[] arguments, List<Object> chain) {
            super(null, target, method, arguments, target.getClass(), chain);
        }

        @Override
        public MethodInvocation invocableClone() {
            throw new AssertionError("an attempt copied the invocation");
        }

        @Override
        public MethodInvocation invocableClone(Object... arguments) {
            throw new AssertionError("an attempt copied the invocation");
        }
    }

    private final NamedPolicies policies = new NamedPolicies();
    private AnnotationConfigApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    private Flaky flakyBeanWith(CountingPostProcessor... laterPostProcessors) {
        context = new AnnotationConfigApplicationContext();
        context.registerBean(
                RetryAnnotationBeanPostProcessor.class,
                () -> new RetryAnnotationBeanPostProcessor(new RetryMethodInterceptor(policies)));
        for (int i = 0; i < laterPostProcessors.length; i++) {
            CountingPostProcessor postProcessor = laterPostProcessors[i];
            context.registerBean("counting" + i, CountingPostProcessor.class, () -> postProcessor);
        }
        context.registerBean(Flaky.class);
        context.refresh();
        return context.getBean(Flaky.class);
    }

    /** The configuration behind one of our CGLIB proxies, which builds the chains its calls run through. */
    private static AdvisedSupport proxyConfig(Object proxy) {
        // Spring keeps it in the proxy's first callback; no public API hands it out.
        return (AdvisedSupport) ReflectionTestUtils.getField(((Factory) proxy).getCallback(0), "advised");
    }

    @Test
    void whereRetryIsTheOnlyAdviceEveryAttemptProceedsTheCallersOwnInvocation() throws Throwable {
        Flaky flaky = flakyBeanWith();
        Flaky target = AopTestUtils.getUltimateTargetObject(flaky);
        Method fetch = Flaky.class.getMethod("fetch", String.class);
        List<Object> chain = proxyConfig(flaky).getInterceptorsAndDynamicInterceptionAdvice(fetch, Flaky.class);

        Object answer = new UncopyableInvocation(target, fetch, new Object[] {"a"}, chain).proceed();

        assertThat(answer).isEqualTo("a:fetched");
        assertThat(target.attempts).hasValue(2);
    }

    @Test
    void aBeanAdvisedOnlyByRetryIsRetried() {
        Flaky flaky = flakyBeanWith();
        assertThat(flaky.fetch("a")).isEqualTo("a:fetched");
        assertThat(flaky.fetch("b")).isEqualTo("b:fetched");
        assertThat(AopTestUtils.<Flaky>getUltimateTargetObject(flaky).attempts).hasValue(4);
    }

    @Test
    void anInterceptorAddedInsideOurProxyAfterItsFirstCallsRunsAgainForEveryAttempt() {
        Flaky flaky = flakyBeanWith();
        assertThat(flaky.fetch("before")).isEqualTo("before:fetched");
        CountingInterceptor inner = new CountingInterceptor();
        ((Advised) flaky).addAdvice(inner);

        assertThat(flaky.fetch("after")).isEqualTo("after:fetched");
        assertThat(inner.calls).as("once per attempt").hasValue(2);
    }

    @Test
    void aLaterPostProcessorsAdviceInsideOursRunsAgainForEveryAttempt() {
        CountingPostProcessor inside = new CountingPostProcessor(false);
        Flaky flaky = flakyBeanWith(inside);
        assertThat(flaky.fetch("a")).isEqualTo("a:fetched");
        assertThat(inside.interceptor.calls).as("once per attempt").hasValue(2);
    }

    @Test
    void aLaterPostProcessorsAdviceOutsideOursRunsOncePerCallWhileItsAttemptsAreRetried() {
        CountingPostProcessor outside = new CountingPostProcessor(true);
        Flaky flaky = flakyBeanWith(outside);
        assertThat(flaky.fetch("a")).isEqualTo("a:fetched");
        assertThat(outside.interceptor.calls).as("once per call").hasValue(1);
        assertThat(AopTestUtils.<Flaky>getUltimateTargetObject(flaky).attempts).hasValue(2);
    }

    @Test
    void everyAttemptStartsFromTheCallersArgumentsWhateverAnInnerInterceptorDidToThem() {
        Flaky target = new Flaky();
        ProxyFactory theirs = new ProxyFactory(target);
        theirs.setProxyTargetClass(true);
        theirs.addAdvisor(new DefaultPointcutAdvisor(new RetryMethodInterceptor(policies)));
        theirs.addAdvice((MethodInterceptor) invocation -> {
            Object[] arguments = invocation.getArguments();
            arguments[0] = arguments[0] + "+rewritten";
            return invocation.proceed();
        });
        Flaky flaky = (Flaky) theirs.getProxy();
        assertThat(flaky.fetch("a"))
                .as("rewritten once, by the successful attempt only")
                .isEqualTo("a+rewritten:fetched");
    }
}
