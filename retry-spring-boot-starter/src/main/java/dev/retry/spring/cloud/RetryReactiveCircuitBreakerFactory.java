package dev.retry.spring.cloud;

import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.spring.registry.RetryRegistry;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Spring Cloud CircuitBreaker's reactive factory, backed by {@code retry}'s breakers by the same rules
 * as {@link RetryCircuitBreakerFactory}: {@code create("inventory")} is
 * {@code retry.circuit-breakers.inventory}, an id YAML does not name gets a breaker of its own with
 * the {@code default} entry's configuration.
 *
 * <p>Each subscription is one call of the breaker; nothing runs before it. A {@code Flux} is
 * collected and its elements emitted once it has completed, as the starter's {@code Flux} support
 * does, so that a breaker judges one whole answer and a failed stream never delivers half of its
 * elements: do not run a large or endless {@code Flux} through it.
 */
public final class RetryReactiveCircuitBreakerFactory
        extends ReactiveCircuitBreakerFactory<CircuitBreakerConfig, RetryCircuitBreakerConfigBuilder> {

    private final CloudBreakers<ReactiveCircuitBreaker> breakers;

    public RetryReactiveCircuitBreakerFactory(RetryRegistry registry) {
        this.breakers = new CloudBreakers<>(registry, RetryReactiveCircuitBreaker::new);
    }

    @Override
    public ReactiveCircuitBreaker create(String id) {
        return breakers.create(id, getConfigurations());
    }

    @Override
    public ReactiveCircuitBreaker create(String id, String groupName) {
        return create(id);
    }

    @Override
    public void configure(Consumer<RetryCircuitBreakerConfigBuilder> consumer, String... ids) {
        super.configure(consumer, ids);
        breakers.configured(ids, getConfigurations());
    }

    @Override
    public void configureDefault(Function<String, CircuitBreakerConfig> defaultConfiguration) {
        breakers.configureDefault(defaultConfiguration);
    }

    /** A builder starting from what YAML (or an earlier {@code configure}) gives {@code id} now. */
    @Override
    public RetryCircuitBreakerConfigBuilder configBuilder(String id) {
        return breakers.builderFor(id);
    }

    /** One breaker, as Spring Cloud's reactive API runs it. */
    static final class RetryReactiveCircuitBreaker implements ReactiveCircuitBreaker {

        private final CircuitBreakerPolicy policy;

        RetryReactiveCircuitBreaker(CircuitBreakerPolicy policy) {
            this.policy = policy;
        }

        @Override
        public <T> Mono<T> run(Mono<T> toRun, Function<Throwable, Mono<T>> fallback) {
            return Mono.fromCompletionStage(() -> policy.callAsync(toRun::toFuture))
                    .onErrorResume(fallback);
        }

        @Override
        public <T> Flux<T> run(Flux<T> toRun, Function<Throwable, Flux<T>> fallback) {
            return Mono.fromCompletionStage(
                            () -> policy.callAsync(() -> toRun.collectList().toFuture()))
                    .flatMapIterable(Function.<List<T>>identity())
                    .onErrorResume(fallback);
        }
    }
}
