package dev.retry.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

class HttpFailuresTests {

    private static final Set<Integer> RETRY_ON_STATUS = Set.of(408, 425, 429, 500, 502, 503, 504);
    private final HttpFailures failures =
            new HttpFailures(Clock.fixed(Instant.parse("2026-10-21T07:28:00Z"), ZoneOffset.UTC));

    private static HttpHeaders retryAfter(String value) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, value);
        return headers;
    }

    private static Exception restClient(HttpStatus status, HttpHeaders headers) {
        return status.is4xxClientError()
                ? HttpClientErrorException.create(
                        status, status.getReasonPhrase(), headers, new byte[0], StandardCharsets.UTF_8)
                : HttpServerErrorException.create(
                        status, status.getReasonPhrase(), headers, new byte[0], StandardCharsets.UTF_8);
    }

    @Test
    void statusesInTheListAreRetryableAndOther4xxNeverAre() {
        assertThat(failures.hasStatusIn(RETRY_ON_STATUS).test(restClient(HttpStatus.SERVICE_UNAVAILABLE, null)))
                .isTrue();
        assertThat(failures.hasStatusIn(RETRY_ON_STATUS).test(restClient(HttpStatus.TOO_MANY_REQUESTS, null)))
                .isTrue();
        assertThat(failures.isClientErrorOutside(RETRY_ON_STATUS).test(restClient(HttpStatus.NOT_FOUND, null)))
                .isTrue();
        assertThat(failures.isClientErrorOutside(RETRY_ON_STATUS).test(restClient(HttpStatus.TOO_MANY_REQUESTS, null)))
                .isFalse();
        assertThat(failures.isClientErrorOutside(RETRY_ON_STATUS).test(restClient(HttpStatus.NOT_IMPLEMENTED, null)))
                .isFalse();
        assertThat(failures.isClientErrorOutside(RETRY_ON_STATUS).test(new ResourceAccessException("connection reset")))
                .as("no status: ordinary rules")
                .isFalse();
    }

    @Test
    void aWrappedFailureIsFoundInTheCauseChain() {
        Exception wrapped = new IllegalStateException(restClient(HttpStatus.BAD_GATEWAY, null));
        assertThat(failures.hasStatusIn(RETRY_ON_STATUS).test(wrapped)).isTrue();
    }

    @Test
    void webClientFailuresAreClassifiedToo() {
        WebClientResponseException notFound = WebClientResponseException.create(404, "Not Found", null, null, null);
        WebClientResponseException busy =
                WebClientResponseException.create(503, "Unavailable", retryAfter("3"), null, null);
        assertThat(failures.isClientErrorOutside(RETRY_ON_STATUS).test(notFound))
                .isTrue();
        assertThat(failures.hasStatusIn(RETRY_ON_STATUS).test(busy)).isTrue();
        assertThat(failures.retryAfter().apply(busy)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDateBecomesTheRequestedDelay() {
        assertThat(failures.retryAfter().apply(restClient(HttpStatus.SERVICE_UNAVAILABLE, retryAfter("120"))))
                .isEqualTo(Duration.ofSeconds(120));
        assertThat(failures.retryAfter()
                        .apply(restClient(HttpStatus.TOO_MANY_REQUESTS, retryAfter("Wed, 21 Oct 2026 07:28:30 GMT"))))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(failures.retryAfter().apply(restClient(HttpStatus.SERVICE_UNAVAILABLE, retryAfter("soon"))))
                .isNull();
        assertThat(failures.retryAfter().apply(restClient(HttpStatus.SERVICE_UNAVAILABLE, null)))
                .isNull();
        assertThat(failures.retryAfter().apply(new IllegalStateException("no response")))
                .isNull();
    }
}
