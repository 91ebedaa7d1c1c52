package dev.retry.spring.interceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.CircuitState;
import dev.retry.core.HedgePolicy;
import dev.retry.core.RetryContext;
import dev.retry.core.RetryPolicy;
import dev.retry.spring.registry.PolicySource;
import dev.retry.spring.registry.UnknownPolicyException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.test.util.AopTestUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The interceptor as an application meets it: annotated beans in a Spring context. */
class RetryMethodInterceptorTests {

    /** Policies by name, as the YAML would give them, with no waiting between attempts. */
    static final class NamedPolicies implements PolicySource {

        final Map<String, CircuitBreakerPolicy> breakers = new HashMap<>();
        final List<String> breakerRequests = new ArrayList<>();

        @Override
        public RetryPolicy retryPolicy(Retryable annotation) {
            String name = annotation.value().isEmpty() ? "default" : annotation.value();
            if (!List.of("default", "inventory").contains(name)) {
                throw new UnknownPolicyException("retry.policies." + name, java.util.List.of("default"));
            }
            return RetryPolicy.builder()
                    .name(name)
                    .delay(Duration.ZERO)
                    .maxAttempts(annotation.maxAttempts() > 0 ? annotation.maxAttempts() : 3)
                    .build();
        }

        @Override
        public CircuitBreakerPolicy circuitBreaker(String name, String methodName) {
            String key = name.isEmpty() ? methodName : name;
            breakerRequests.add(key);
            return breakers.computeIfAbsent(
                    key,
                    k -> CircuitBreakerPolicy.builder().name(k).minimumCalls(2).build());
        }

        @Override
        public HedgePolicy hedgePolicy(Hedged annotation) {
            return HedgePolicy.builder().delay(Duration.ofMillis(20)).build();
        }

        @Override
        public dev.retry.core.TimeoutPolicy timeoutPolicy(dev.retry.annotation.Timeout annotation) {
            return dev.retry.core.TimeoutPolicy.builder()
                    .duration(Duration.ofSeconds(5))
                    .build();
        }

        @Override
        public dev.retry.core.BulkheadPolicy bulkhead(String name, String methodName) {
            return dev.retry.core.BulkheadPolicy.builder().maxConcurrentCalls(2).build();
        }
    }

    static class Inventory {

        final AtomicInteger calls = new AtomicInteger();
        final List<Integer> attemptsSeen = new ArrayList<>();
        final List<String> keysSeen = new ArrayList<>();

        @Retryable("inventory")
        public String stock(String sku) throws IOException {
            attemptsSeen.add(RetryContext.current().attempt());
            keysSeen.add(RetryContext.current().idempotencyKey());
            if (calls.incrementAndGet() < 3) {
                throw new IOException("inventory down");
            }
            return sku + ":42";
        }

        @Retryable(maxAttempts = 2)
        public String missing(String name) throws FileNotFoundException {
            calls.incrementAndGet();
            throw new FileNotFoundException(name);
        }

        @Retryable
        public CompletableFuture<String> stockAsync(String sku) {
            if (calls.incrementAndGet() < 3) {
                return CompletableFuture.failedFuture(new IOException("not yet"));
            }
            return CompletableFuture.completedFuture(sku + ":async");
        }

        @Retryable
        public Mono<String> stockMono(String sku) {
            return Mono.fromCallable(() -> {
                if (calls.incrementAndGet() < 3) {
                    throw new IOException("not yet");
                }
                return sku + ":mono";
            });
        }

        @Retryable
        public Flux<Integer> levels() {
            int call = calls.incrementAndGet();
            return call < 2 ? Flux.concat(Flux.just(1, 2), Flux.error(new IOException("cut off"))) : Flux.just(1, 2, 3);
        }

        static final ThreadLocal<String> TENANT = new ThreadLocal<>();
        final List<String> contextSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Retryable
        public CompletableFuture<String> tenantAsync() {
            contextSeen.add(TENANT.get() + "/" + org.slf4j.MDC.get("requestId") + "/"
                    + Thread.currentThread().getName());
            if (contextSeen.size() < 2) {
                return CompletableFuture.failedFuture(new IOException("once"));
            }
            return CompletableFuture.completedFuture("ok");
        }

        public String plain() {
            calls.incrementAndGet();
            return "plain";
        }
    }

    @Retryable
    static class AnnotatedClass {

        final AtomicInteger calls = new AtomicInteger();

        public String anyPublicMethod() {
            if (calls.incrementAndGet() < 2) {
                throw new IllegalStateException("once");
            }
            return "retried";
        }
    }

    static class Orders {

        @CircuitBreaker("inventory")
        public String reserve() throws IOException {
            throw new IOException("inventory down");
        }

        @CircuitBreaker("inventory")
        public String release() {
            return "released";
        }

        @CircuitBreaker
        public String own() {
            return "own";
        }
    }

    static class Prices {

        @Fallback("cachedPrice")
        @Retryable(maxAttempts = 2)
        public String price(String sku) throws IOException {
            throw new java.net.ConnectException("refused");
        }

        @Fallback(value = "cachedPrice", on = IllegalStateException.class)
        public String onlyIllegalState(String sku) throws IOException {
            throw new IOException("not answered");
        }

        String cachedPrice(String sku) {
            return "any:" + sku;
        }

        String cachedPrice(String sku, IOException failure) {
            return "io:" + sku;
        }

        String cachedPrice(String sku, java.net.ConnectException failure) {
            return "connect:" + sku + ":" + failure.getMessage();
        }

        String cachedPrice(String sku, IllegalStateException failure) {
            return "illegal:" + sku;
        }
    }

    static class AsyncPrices {

        @Fallback("cached")
        public CompletableFuture<String> price(String sku) {
            return CompletableFuture.failedFuture(new IOException("down"));
        }

        @Fallback("cachedMono")
        public Mono<String> priceMono(String sku) {
            return Mono.error(new IOException("down"));
        }

        @Fallback("cachedFlux")
        public Flux<String> prices(String sku) {
            return Flux.concat(Flux.just("partial"), Flux.error(new IOException("down")));
        }

        CompletableFuture<String> cached(String sku, IOException failure) {
            return CompletableFuture.completedFuture("cached " + sku);
        }

        Mono<String> cachedMono(String sku) {
            return Mono.just("cached mono " + sku);
        }

        Flux<String> cachedFlux(String sku) {
            return Flux.just("cached", "flux", sku);
        }
    }

    @org.springframework.context.annotation.Lazy
    static class LazyUnknownPolicy {

        @Retryable("inventroy")
        public String stock() {
            return "x";
        }
    }

    static class BrokenFallback {

        @Fallback("nowhere")
        public String price(String sku) {
            return "x";
        }
    }

    static class UnknownPolicy {

        @Retryable("inventroy")
        public String stock() {
            return "x";
        }
    }

    private final NamedPolicies policies = new NamedPolicies();
    private AnnotationConfigApplicationContext context;

    private <T> T bean(Class<T> type) {
        context = new AnnotationConfigApplicationContext();
        context.registerBean(
                RetryAnnotationBeanPostProcessor.class,
                () -> new RetryAnnotationBeanPostProcessor(new RetryMethodInterceptor(policies)));
        context.registerBean(type);
        context.refresh();
        return context.getBean(type);
    }

    /** The bean behind its proxy: a CGLIB proxy's own fields are never set, so state is read here. */
    private static <T> T target(T proxy) {
        return AopTestUtils.getUltimateTargetObject(proxy);
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void anAnnotatedMethodIsRetriedAndSeesItsAttemptsAndOneKey() throws IOException {
        Inventory inventory = bean(Inventory.class);
        assertThat(inventory.stock("sku-1")).isEqualTo("sku-1:42");
        assertThat(target(inventory).attemptsSeen).containsExactly(1, 2, 3);
        assertThat(target(inventory).keysSeen)
                .containsOnly(target(inventory).keysSeen.get(0));
    }

    @Test
    void aCheckedExceptionReachesTheCallerAsItIsNeverWrapped() {
        Inventory inventory = bean(Inventory.class);
        assertThatThrownBy(() -> inventory.missing("orders.csv"))
                .isExactlyInstanceOf(FileNotFoundException.class)
                .hasMessage("orders.csv");
        assertThat(target(inventory).calls).hasValue(2);
    }

    @Test
    void methodsWithoutAnnotationsOfAnAdvisedBeanAreCalledOnce() {
        Inventory inventory = bean(Inventory.class);
        assertThat(inventory.plain()).isEqualTo("plain");
        assertThat(target(inventory).calls).hasValue(1);
    }

    @Test
    void aCompletionStageIsRetriedWithoutBlockingTheCaller() {
        Inventory inventory = bean(Inventory.class);
        assertThat(inventory.stockAsync("sku-2").join()).isEqualTo("sku-2:async");
        assertThat(target(inventory).calls).hasValue(3);
    }

    @Test
    void aMonoIsRetriedOnSubscriptionWithAFreshPublisherEachAttempt() {
        Inventory inventory = bean(Inventory.class);
        Mono<String> stock = inventory.stockMono("sku-3");
        assertThat(target(inventory).calls)
                .as("nothing happens before subscription")
                .hasValue(0);
        assertThat(stock.block(Duration.ofSeconds(10))).isEqualTo("sku-3:mono");
        assertThat(target(inventory).calls).hasValue(3);
    }

    @Test
    void aFluxThatFailsHalfwayIsRetriedWithoutRepeatingElements() {
        Inventory inventory = bean(Inventory.class);
        assertThat(inventory.levels().collectList().block(Duration.ofSeconds(10)))
                .containsExactly(1, 2, 3);
    }

    @Test
    void anAsynchronousRetryOnAnotherThreadSeesTheCallersContext() {
        io.micrometer.context.ContextRegistry.getInstance()
                .registerThreadLocalAccessor(
                        "test.tenant", Inventory.TENANT::get, Inventory.TENANT::set, Inventory.TENANT::remove);
        Inventory inventory = bean(Inventory.class);
        Inventory.TENANT.set("acme");
        org.slf4j.MDC.put("requestId", "req-7");
        String caller = Thread.currentThread().getName();
        try {
            assertThat(inventory.tenantAsync().join()).isEqualTo("ok");
        } finally {
            Inventory.TENANT.remove();
            org.slf4j.MDC.remove("requestId");
        }
        List<String> seen = target(inventory).contextSeen;
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEqualTo("acme/req-7/" + caller);
        assertThat(seen.get(1)).startsWith("acme/req-7/").isNotEqualTo("acme/req-7/" + caller);
    }

    static class GuardedMono {

        final AtomicInteger calls = new AtomicInteger();

        @CircuitBreaker("inventory")
        public Mono<Integer> count() {
            return Mono.fromCallable(calls::incrementAndGet);
        }
    }

    @Test
    void aMonoSubscribedTwiceRunsTheMethodAndItsInnerInterceptorsTwice() {
        GuardedMono target = new GuardedMono();
        AtomicInteger inner = new AtomicInteger();
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new DefaultPointcutAdvisor(new RetryMethodInterceptor(policies)));
        factory.addAdvice((MethodInterceptor) invocation -> {
            inner.incrementAndGet();
            return invocation.proceed();
        });
        Mono<Integer> count = ((GuardedMono) factory.getProxy()).count();
        assertThat(count.block(Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(count.block(Duration.ofSeconds(5))).isEqualTo(2);
        assertThat(inner).as("once per subscription").hasValue(2);
    }

    @Test
    void aClassLevelAnnotationCoversEveryPublicMethod() {
        assertThat(bean(AnnotatedClass.class).anyPublicMethod()).isEqualTo("retried");
    }

    @Test
    void methodsThatNameOneBreakerShareItAndAnUnnamedBreakerBelongsToItsMethod() {
        Orders orders = bean(Orders.class);
        assertThatThrownBy(orders::reserve).isInstanceOf(IOException.class);
        assertThatThrownBy(orders::reserve).isInstanceOf(IOException.class);
        assertThatThrownBy(orders::release).as("the shared breaker opened").isInstanceOf(CircuitOpenException.class);
        assertThat(orders.own()).isEqualTo("own");
        assertThat(policies.breakers.get("inventory").state()).isEqualTo(CircuitState.OPEN);
        assertThat(policies.breakerRequests)
                .contains("inventory", "dev.retry.spring.interceptor.RetryMethodInterceptorTests$Orders.own()");
    }

    @Test
    void theFallbackWhoseExceptionParameterIsMostSpecificAnswersAfterTheRetries() throws IOException {
        Prices prices = bean(Prices.class);
        assertThat(prices.price("sku-9")).isEqualTo("connect:sku-9:refused");
    }

    @Test
    void aFallbackAnswersOnlyTheFailuresItIsFor() {
        Prices prices = bean(Prices.class);
        assertThatThrownBy(() -> prices.onlyIllegalState("sku"))
                .isInstanceOf(IOException.class)
                .hasMessage("not answered");
    }

    @Test
    void asynchronousMethodsFallBackTooWhateverTheyReturn() {
        AsyncPrices prices = bean(AsyncPrices.class);
        assertThat(prices.price("sku-1").join()).isEqualTo("cached sku-1");
        assertThat(prices.priceMono("sku-2").block(Duration.ofSeconds(5))).isEqualTo("cached mono sku-2");
        assertThat(prices.prices("sku-3").collectList().block(Duration.ofSeconds(5)))
                .as("the failed stream's partial element is not passed on")
                .containsExactly("cached", "flux", "sku-3");
    }

    @Test
    void aLazyBeanIsCheckedAtStartUpToo() {
        assertThatThrownBy(() -> bean(LazyUnknownPolicy.class))
                .as("thrown by the context's refresh itself")
                .isInstanceOf(InvalidRetryAnnotationException.class)
                .hasMessageContaining("LazyUnknownPolicy.stock(): @Retryable names retry.policies.inventroy");
    }

    @Test
    void aMissingFallbackMethodStopsTheStartNamingTheMethodAndWhatIsExpected() {
        assertThatThrownBy(() -> bean(BrokenFallback.class))
                .isInstanceOf(BeanCreationException.class)
                .rootCause()
                .isInstanceOf(InvalidRetryAnnotationException.class)
                .hasMessage(
                        "BrokenFallback.price(String): @Fallback(\"nowhere\") names no usable method in BrokenFallback."
                                + " Declare nowhere(String) or nowhere(String, SomeException e) in the same bean, returning String");
    }

    @Test
    void anUnconfiguredNameStopsTheStartNamingTheMethodAndTheEntry() {
        assertThatThrownBy(() -> bean(UnknownPolicy.class))
                .isInstanceOf(BeanCreationException.class)
                .rootCause()
                .isInstanceOf(InvalidRetryAnnotationException.class)
                .hasMessageStartingWith(
                        "UnknownPolicy.stock(): @Retryable names retry.policies.inventroy, which is not configured;");
    }

    @Test
    void interceptorsInsideTheRetryRunAgainForEveryAttempt() throws IOException {
        Inventory target = new Inventory();
        AtomicInteger inner = new AtomicInteger();
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        RetryMethodInterceptor retry = new RetryMethodInterceptor(policies);
        factory.addAdvisor(new DefaultPointcutAdvisor(retry));
        factory.addAdvice((MethodInterceptor) invocation -> {
            inner.incrementAndGet(); // a transaction would begin here
            return invocation.proceed();
        });
        Inventory proxy = (Inventory) factory.getProxy();
        assertThat(proxy.stock("sku")).isEqualTo("sku:42");
        assertThat(inner).as("once per attempt").hasValue(3);
    }
}
