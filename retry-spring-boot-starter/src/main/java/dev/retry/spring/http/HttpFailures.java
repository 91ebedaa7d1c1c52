package dev.retry.spring.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClientResponseException;

/**
 * What a retry policy needs to know about Spring's HTTP client failures ({@code RestClient},
 * {@code RestTemplate}, and {@code WebClient} when WebFlux is present): their status and the
 * {@code Retry-After} the server sent.
 *
 * <p>A status in {@code retry-on-status} is retried; any other 4xx never is, whatever else the
 * policy says, since sending the same bad request again cannot help; other statuses follow the
 * policy's ordinary rules. {@code Retry-After}, in seconds or as an HTTP date, becomes the requested
 * delay, which the policy caps at its {@code max-delay} and {@code max-duration}.
 */
public final class HttpFailures {

    private static final int MAX_CAUSE_DEPTH = 32;

    private static final boolean WEBFLUX_PRESENT = ClassUtils.isPresent(
            "org.springframework.web.reactive.function.client.WebClientResponseException",
            HttpFailures.class.getClassLoader());

    private final Clock clock;

    public HttpFailures(Clock clock) {
        this.clock = clock;
    }

    /** Failures whose status is one of {@code statuses}. */
    public Predicate<Throwable> hasStatusIn(Set<Integer> statuses) {
        return failure -> {
            int status = statusOf(failure);
            return status > 0 && statuses.contains(status);
        };
    }

    /** HTTP client failures whose status is not one of {@code statuses}; nothing else. */
    public Predicate<Throwable> hasStatusOutside(Set<Integer> statuses) {
        return failure -> {
            int status = statusOf(failure);
            return status > 0 && !statuses.contains(status);
        };
    }

    /** Client errors (4xx) whose status is not one of {@code retryable}: never retried. */
    public Predicate<Throwable> isClientErrorOutside(Set<Integer> retryable) {
        return failure -> {
            int status = statusOf(failure);
            return status >= 400 && status < 500 && !retryable.contains(status);
        };
    }

    /** The delay a failure's {@code Retry-After} header asks for, or {@code null}. */
    public Function<Throwable, Duration> retryAfter() {
        return failure -> {
            HttpHeaders headers = headersOf(failure);
            String value = headers != null ? headers.getFirst(HttpHeaders.RETRY_AFTER) : null;
            return value != null ? parseRetryAfter(value.trim()) : null;
        };
    }

    /** Seconds ({@code 120}) or an HTTP date ({@code Wed, 21 Oct 2026 07:28:00 GMT}); null when neither. */
    Duration parseRetryAfter(String value) {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooLarge) {
                return Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Duration.between(clock.instant(), at.toInstant());
        } catch (DateTimeParseException unreadable) {
            return null; // a header we cannot read requests nothing; the backoff decides
        }
    }

    /** The HTTP status of the first HTTP client failure in the cause chain; -1 when there is none. */
    static int statusOf(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof RestClientResponseException response) {
                return response.getStatusCode().value();
            }
            if (WEBFLUX_PRESENT && WebClientFailures.isResponseFailure(current)) {
                return WebClientFailures.status(current);
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return -1;
    }

    private static HttpHeaders headersOf(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof RestClientResponseException response) {
                return response.getResponseHeaders();
            }
            if (WEBFLUX_PRESENT && WebClientFailures.isResponseFailure(current)) {
                return WebClientFailures.headers(current);
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return null;
    }
}
