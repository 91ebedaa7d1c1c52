package dev.retry.spring.interceptor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Retryable;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

/**
 * What Spring's ahead-of-time processing learns from the starter about an application's beans: run
 * the way the Spring Boot build plugins run it (the processor found through {@code aot.factories}),
 * on a context holding annotated and plain beans, and read back the runtime hints it wrote.
 */
class RetryAnnotationAotProcessorTests {

    private RuntimeHints hints;

    @BeforeEach
    void processAheadOfTime() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean("inventory", Inventory.class);
        context.registerBean("guarded", GuardedClient.class);
        context.registerBean("plain", PlainBean.class);
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get("com.example", "ShopApplication")), new InMemoryGeneratedFiles());
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        hints = generation.getRuntimeHints();
    }

    @Test
    void everyMethodAFallbackNamesMayBeInvokedReflectively() throws NoSuchMethodException {
        assertThat(RuntimeHintsPredicates.reflection()
                        .onMethodInvocation(Inventory.class.getDeclaredMethod("cached", String.class, Exception.class)))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
                        .onMethodInvocation(Inventory.class.getDeclaredMethod("cached", String.class)))
                .as("a private candidate of the same name, without the exception parameter")
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
                        .onMethodInvocation(GuardedClient.class.getDeclaredMethod("unavailable", Exception.class)))
                .as("the fallback a class-level @Fallback names")
                .accepts(hints);
    }

    @Test
    void methodsNoAnnotationConcernsGetNoHint() throws NoSuchMethodException {
        Method unrelated = Inventory.class.getDeclaredMethod("describe");
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(unrelated))
                .rejects(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PlainBean.class, "call"))
                .as("a bean without any of the annotations")
                .rejects(hints);
    }

    static class Inventory {

        @Retryable("inventory")
        @Fallback("cached")
        public String stock(String sku) {
            return sku;
        }

        String cached(String sku, Exception failure) {
            return "cached " + sku;
        }

        private String cached(String sku) {
            return "cached " + sku;
        }

        String describe() {
            return "inventory";
        }
    }

    @CircuitBreaker("guarded")
    @Fallback("unavailable")
    static class GuardedClient {

        public String call() {
            return "answer";
        }

        String unavailable(Exception failure) {
            return "unavailable";
        }
    }

    static class PlainBean {

        public String call() {
            return "plain";
        }
    }
}
