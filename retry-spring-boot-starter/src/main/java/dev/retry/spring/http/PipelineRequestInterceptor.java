package dev.retry.spring.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClientResponseException;

/**
 * Runs every request of a {@code RestClient} (or {@code RestTemplate}) through its named pipeline.
 *
 * <p>An answer whose status the pipeline cares about (one the retry policy retries, or one the
 * breaker counts: {@code retry-on-status} and {@code record-on-status}) is turned into the exception
 * Spring's HTTP client would throw for it, body and headers kept, so that the starter's HTTP rules
 * apply exactly as they do around an annotated method: statuses retried or not, {@code Retry-After}
 * obeyed, a {@code 404} not held against the breaker. The answer that ends the call, whatever it is,
 * reaches the caller as an answer again, so {@code retrieve()}, {@code onStatus} handlers and
 * {@code exchange()} see what they would have seen without the pipeline. An attempt's earlier
 * answers are read and closed before the next attempt starts, so no connection is left open.
 */
final class PipelineRequestInterceptor implements ClientHttpRequestInterceptor {

    private final HttpPipelines pipelines;

    PipelineRequestInterceptor(HttpPipelines pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        try {
            return pipelines
                    .pipelineFor(request.getMethod(), request.getURI(), request.getHeaders())
                    .call(() -> attempt(request, body, execution));
        } catch (JudgedAnswer answer) {
            return answer.asResponse();
        }
    }

    private ClientHttpResponse attempt(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        ClientHttpResponse response = execution.execute(request, body);
        HttpStatusCode status = response.getStatusCode();
        if (!status.isError() || !pipelines.judges(status.value())) {
            return response;
        }
        try (response) {
            byte[] content;
            try (InputStream in = response.getBody()) {
                content = in.readAllBytes();
            }
            throw new JudgedAnswer(status, response.getStatusText(), response.getHeaders(), content);
        }
    }

    /**
     * An answer the pipeline judges, as the {@link RestClientResponseException} the HTTP rules read
     * its status and {@code Retry-After} from. Never seen by the caller: it becomes an answer again.
     */
    static final class JudgedAnswer extends RestClientResponseException {

        private static final long serialVersionUID = 1L;

        JudgedAnswer(HttpStatusCode status, String statusText, HttpHeaders headers, byte[] body) {
            super(
                    status.value() + " " + statusText,
                    status,
                    statusText,
                    HttpHeaders.readOnlyHttpHeaders(headers),
                    body,
                    StandardCharsets.UTF_8);
        }

        ClientHttpResponse asResponse() {
            return new BufferedResponse(
                    getStatusCode(), getStatusText(), getResponseHeaders(), getResponseBodyAsByteArray());
        }
    }
}
