package dev.retry.spring.interceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.core.CircuitState;
import dev.retry.spring.interceptor.RetryMethodInterceptorTests.NamedPolicies;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.test.util.AopTestUtils;

/**
 * One method shared by several beans (an interface's, or one inherited from a common superclass)
 * keeps each bean's own annotations: the plan of a call belongs to the method as its bean's class
 * implements it, never to whichever bean was called first.
 */
class SharedMethodPlansTests {

    interface PriceClient {
        String price(String sku);
    }

    /** Always fails, counting how often it was tried. */
    abstract static class Counting {

        final AtomicInteger attempts = new AtomicInteger();

        String fail() {
            attempts.incrementAndGet();
            throw new IllegalStateException("down");
        }
    }

    static class TwoAttemptPrices extends Counting implements PriceClient {

        @Override
        @Retryable(maxAttempts = 2)
        public String price(String sku) {
            return fail();
        }
    }

    static class FourAttemptPrices extends Counting implements PriceClient {

        @Override
        @Retryable(maxAttempts = 4)
        public String price(String sku) {
            return fail();
        }
    }

    /** A method the subclasses inherit without overriding; each subclass annotates itself. */
    abstract static class StockClient extends Counting {

        public String stock(String sku) {
            return fail();
        }
    }

    @Retryable(maxAttempts = 2)
    static class TwoAttemptStock extends StockClient {}

    @Retryable(maxAttempts = 5)
    static class FiveAttemptStock extends StockClient {}

    /** Two clients of two services, one inherited method: each keeps a breaker of its own. */
    abstract static class QuoteClient extends Counting {

        @CircuitBreaker
        public String quote(String sku) {
            return fail();
        }
    }

    static class FreightQuotes extends QuoteClient {}

    static class InsuranceQuotes extends QuoteClient {}

    private final NamedPolicies policies = new NamedPolicies();
    private AnnotationConfigApplicationContext context;

    private void start(Class<?>... types) {
        start(false, types);
    }

    /**
     * @param alreadyAdvised whether another library's post-processor proxies the beans first, so that
     *     ours adds its advice to that proxy rather than making its own
     */
    private void start(boolean alreadyAdvised, Class<?>... types) {
        RetryMethodInterceptor interceptor = new RetryMethodInterceptor(policies);
        context = new AnnotationConfigApplicationContext();
        if (alreadyAdvised) {
            context.registerBean(
                    "firstProxies",
                    InvocationCopiesTests.CountingPostProcessor.class,
                    () -> new InvocationCopiesTests.CountingPostProcessor(false));
        }
        context.registerBean(
                RetryAnnotationBeanPostProcessor.class, () -> new RetryAnnotationBeanPostProcessor(interceptor));
        for (Class<?> type : types) {
            context.registerBean(type);
        }
        context.refresh();
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void twoImplementationsOfOneInterfaceMethodEachKeepTheirOwnAttempts() {
        start(TwoAttemptPrices.class, FourAttemptPrices.class);
        PriceClient two = context.getBean("sharedMethodPlansTests.TwoAttemptPrices", PriceClient.class);
        PriceClient four = context.getBean("sharedMethodPlansTests.FourAttemptPrices", PriceClient.class);

        assertThatThrownBy(() -> two.price("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> four.price("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> two.price("b")).isInstanceOf(IllegalStateException.class);

        assertThat(((Counting) AopTestUtils.getUltimateTargetObject(two)).attempts)
                .hasValue(2 + 2);
        assertThat(((Counting) AopTestUtils.getUltimateTargetObject(four)).attempts)
                .hasValue(4);
    }

    @Test
    void twoImplementationsKeepTheirOwnAttemptsAlsoWhenAnotherLibraryMadeTheirProxies() {
        start(true, TwoAttemptPrices.class, FourAttemptPrices.class);
        PriceClient two = context.getBean("sharedMethodPlansTests.TwoAttemptPrices", PriceClient.class);
        PriceClient four = context.getBean("sharedMethodPlansTests.FourAttemptPrices", PriceClient.class);

        for (int call = 0; call < 3; call++) {
            assertThatThrownBy(() -> two.price("a")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> four.price("a")).isInstanceOf(IllegalStateException.class);
        }

        assertThat(context.getBean(InvocationCopiesTests.CountingPostProcessor.class).interceptor.calls)
                .as("the other library's advice ran on every attempt: it is inside ours")
                .hasValue(3 * (2 + 4));
        assertThat(((Counting) AopTestUtils.getUltimateTargetObject(two)).attempts)
                .hasValue(3 * 2);
        assertThat(((Counting) AopTestUtils.getUltimateTargetObject(four)).attempts)
                .hasValue(3 * 4);
    }

    @Test
    void twoSubclassesAnnotatedDifferentlyEachKeepTheirOwnAttemptsForAnInheritedMethod() {
        start(TwoAttemptStock.class, FiveAttemptStock.class);
        TwoAttemptStock two = context.getBean(TwoAttemptStock.class);
        FiveAttemptStock five = context.getBean(FiveAttemptStock.class);

        assertThatThrownBy(() -> five.stock("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> two.stock("a")).isInstanceOf(IllegalStateException.class);

        assertThat(((Counting) AopTestUtils.getUltimateTargetObject(five)).attempts)
                .hasValue(5);
        assertThat(((Counting) AopTestUtils.getUltimateTargetObject(two)).attempts)
                .hasValue(2);
    }

    @Test
    void anUnnamedBreakerOnAnInheritedMethodIsOnePerBeanClassAndNamedAfterIt() {
        start(FreightQuotes.class, InsuranceQuotes.class);
        FreightQuotes freight = context.getBean(FreightQuotes.class);
        InsuranceQuotes insurance = context.getBean(InsuranceQuotes.class);
        for (int call = 0; call < 2; call++) {
            assertThatThrownBy(() -> freight.quote("a")).isInstanceOf(IllegalStateException.class);
        }

        assertThat(policies.breakers)
                .containsOnlyKeys(
                        FreightQuotes.class.getName() + ".quote(String)",
                        InsuranceQuotes.class.getName() + ".quote(String)");
        assertThat(policies.breakers
                        .get(FreightQuotes.class.getName() + ".quote(String)")
                        .state())
                .as("two failures opened the freight breaker")
                .isEqualTo(CircuitState.OPEN);
        assertThatThrownBy(() -> insurance.quote("a"))
                .as("the insurance breaker is still closed")
                .isInstanceOf(IllegalStateException.class);
    }
}
