package dev.retry.test.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Timeout;
import dev.retry.core.AttemptTimeoutException;
import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Timeouts and hedge delays of asynchronous calls run on the virtual clock too: a 5 s timeout fires
 * when the test advances the clock 5 s, and a hedge starts when the clock passes its delay, not before.
 */
@SpringBootTest(
        classes = VirtualTimeAsyncTests.App.class,
        properties = {
            "retry.timeouts.lookup.duration=5s",
            "retry.hedges.search.delay=2s",
            "retry.hedges.search.max-hedges=1"
        })
@VirtualTime
class VirtualTimeAsyncTests {

    @Autowired
    Lookups lookups;

    @Autowired
    VirtualClock clock;

    @Test
    void anAsynchronousTimeoutFiresWhenTheClockPassesItsDuration() {
        CompletableFuture<String> call = lookups.neverAnswers().toCompletableFuture();

        clock.advance(Duration.ofMillis(4_999));
        assertThat(call).isNotDone();
        clock.advance(Duration.ofMillis(1));
        assertThat(call)
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(AttemptTimeoutException.class);
    }

    @Test
    void aHedgeStartsOnlyOnceTheClockPassesItsDelay() {
        CompletableFuture<String> call = lookups.search().toCompletableFuture();
        assertThat(lookups.searches()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1_999));
        assertThat(lookups.searches()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> lookups.searches() == 2);
        assertThat(call).isNotDone();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Lookups lookups() {
            return new Lookups();
        }
    }

    static class Lookups {
        private final AtomicInteger searches = new AtomicInteger();

        @Timeout("lookup")
        public CompletionStage<String> neverAnswers() {
            return new CompletableFuture<>();
        }

        @Hedged("search")
        public CompletionStage<String> search() {
            searches.incrementAndGet();
            return new CompletableFuture<>();
        }

        public int searches() {
            return searches.get();
        }
    }
}
