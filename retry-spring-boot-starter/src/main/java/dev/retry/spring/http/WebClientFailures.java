package dev.retry.spring.http;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** WebClient's failures, in a class of their own so that it loads only when WebFlux is present. */
final class WebClientFailures {

    private WebClientFailures() {}

    static boolean isResponseFailure(Throwable failure) {
        return failure instanceof WebClientResponseException;
    }

    static int status(Throwable failure) {
        return ((WebClientResponseException) failure).getStatusCode().value();
    }

    static HttpHeaders headers(Throwable failure) {
        return ((WebClientResponseException) failure).getHeaders();
    }
}
