package dev.retry.sample;

import dev.retry.core.Backoff;
import dev.retry.core.RetryContext;
import dev.retry.core.RetryEvent;
import dev.retry.core.RetryListener;
import dev.retry.core.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Calls a service that fails its first two attempts of every request and prints what the retry
 * policy did about it: each retry with its delay, the idempotency key shared by the attempts, and
 * the outcome.
 */
@Component
class FlakyServiceDemo implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FlakyServiceDemo.class);

    private final List<String> report = new ArrayList<>();

    @Override
    public void run(ApplicationArguments args) throws IOException {
        RetryPolicy policy = RetryPolicy.builder()
                .name("inventory")
                .maxAttempts(4)
                .backoff(Backoff.EXPONENTIAL)
                .delay(Duration.ofMillis(50))
                .retryOn(IOException.class)
                .listener(new RetryListener() {
                    @Override
                    public void onRetry(RetryEvent event) {
                        say("attempt " + event.attempts() + " failed (" + event.failure().getMessage()
                                + "); retrying in " + event.delay().toMillis() + " ms");
                    }

                    @Override
                    public void onSuccess(RetryEvent event) {
                        say("succeeded on attempt " + event.attempts() + " after " + event.elapsed().toMillis() + " ms");
                    }
                })
                .build();
        FlakyService service = new FlakyService(2);
        String stock = policy.call(service::fetchStock);
        say("stock level: " + stock + " (every attempt sent Idempotency-Key " + service.keys().get(0) + ": "
                + service.keys().stream().distinct().count() + " distinct key)");
    }

    List<String> report() {
        return report;
    }

    private void say(String line) {
        report.add(line);
        log.info(line);
    }

    /** Fails the first {@code failures} attempts of each call with a connection error. */
    static final class FlakyService {

        private final int failures;
        private final List<String> keys = new ArrayList<>();

        FlakyService(int failures) {
            this.failures = failures;
        }

        String fetchStock() throws IOException {
            RetryContext context = RetryContext.current();
            keys.add(context.idempotencyKey());
            if (context.attempt() <= failures) {
                throw new IOException("connection reset by inventory service");
            }
            return "42";
        }

        List<String> keys() {
            return keys;
        }
    }
}
