package dev.retry.spring;

import static dev.retry.spring.ContractChecks.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.Fallback;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

/**
 * Fallback methods: the signatures that match, the most specific one winning, and a start-up that
 * stops on one that cannot match.
 * Part of the contract checked from outside; see {@link ContractChecks}.
 */
class FallbackContractTests {

    private final ApplicationContextRunner runner = ContractChecks.runner();

    abstract static class FallbackBase {

        @SuppressWarnings("unused")
        private String inherited(String sku, Exception failure) {
            return "base:" + sku + ":" + failure.getMessage();
        }
    }

    static class Fallbacks extends FallbackBase {

        final AtomicBoolean fired = new AtomicBoolean();

        @Fallback("onVoid")
        public void fire() throws IOException {
            throw new IOException("void");
        }

        void onVoid() {
            fired.set(true);
        }

        @Fallback("boxed")
        public int count() {
            throw new IllegalStateException("count");
        }

        Integer boxed(RuntimeException failure) {
            return 7;
        }

        @Fallback("narrower")
        public CharSequence text(boolean missing) throws IOException {
            throw missing ? new FileNotFoundException("gone") : new IOException("io");
        }

        String narrower(boolean missing, Exception failure) {
            return "any";
        }

        String narrower(boolean missing, IOException failure) {
            return "io";
        }

        String narrower(boolean missing, FileNotFoundException failure) {
            return "missing";
        }

        @Fallback("inherited")
        public String fromBase(String sku) {
            throw new IllegalStateException("down");
        }

        @Fallback("narrower")
        public CharSequence bug(boolean missing) {
            throw new AssertionError("a bug, not a failure");
        }
    }

    @Test
    void fallbacksMatchVoidBoxedNarrowerAndInheritedSignaturesTheMostSpecificWinning() throws IOException {
        runner.withBean(Fallbacks.class).run(context -> {
            Fallbacks fallbacks = context.getBean(Fallbacks.class);
            fallbacks.fire();
            assertThat(target(fallbacks).fired).isTrue();
            assertThat(fallbacks.count()).isEqualTo(7);
            assertThat(fallbacks.text(true)).isEqualTo("missing");
            assertThat(fallbacks.text(false)).isEqualTo("io");
            assertThat(fallbacks.fromBase("x")).isEqualTo("base:x:down");
            assertThatThrownBy(() -> fallbacks.bug(true)).isInstanceOf(AssertionError.class);
        });
    }

    static class WrongReturnType {

        @Fallback("cached")
        public String price(String sku) {
            return sku;
        }

        Integer cached(String sku) {
            return 1;
        }
    }

    static class WrongParameters {

        @Fallback("cached")
        public String price(String sku) {
            return sku;
        }

        String cached(int sku) {
            return "1";
        }
    }

    @Test
    void aFallbackWithoutAMatchingSignatureStopsTheStartNamingTheMethod() {
        for (Class<?> type : List.of(WrongReturnType.class, WrongParameters.class)) {
            runner.withBean(type).run(context -> {
                assertThat(context).hasFailed();
                assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessageContaining(type.getSimpleName() + ".price(String)")
                        .hasMessageContaining("@Fallback(\"cached\")")
                        .hasMessageContaining("cached(String)");
            });
        }
    }

    @Fallback("fallback")
    static class ClassLevelFallback {

        public String price(String sku) throws IOException {
            throw new IOException("down");
        }

        public String fallback(String sku, Exception failure) {
            return "fallback " + sku;
        }

        /** Static: no proxy ever calls it, so the class's annotations have nothing to do with it. */
        public static String helper(int value) {
            return String.valueOf(value);
        }

        // The object's identity, not guarded calls: no fallback is demanded for them.
        @Override
        public String toString() {
            return "prices";
        }

        @Override
        public boolean equals(Object other) {
            return other == this;
        }

        @Override
        public int hashCode() {
            return 7;
        }
    }

    @Test
    void aClassLevelFallbackDoesNotApplyToTheFallbackMethodItselfNorToEqualsHashCodeAndToString() {
        runner.withBean(ClassLevelFallback.class).run(context -> {
            assertThat(context).hasNotFailed();
            ClassLevelFallback prices = context.getBean(ClassLevelFallback.class);
            assertThat(prices.price("a")).isEqualTo("fallback a");
            assertThat(prices.toString()).isEqualTo("prices");
        });
    }
}
