package dev.retry.spring.http;

import dev.retry.spring.http.PipelineRequestInterceptor.JudgedAnswer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs every exchange of a {@code WebClient} through its named pipeline, judging answers as
 * {@link PipelineRequestInterceptor} does: a status the policies care about fails the attempt (its
 * body read and released), and the answer that ends the call reaches the caller as an answer again.
 */
final class PipelineExchangeFilter implements ExchangeFilterFunction {

    private final HttpPipelines pipelines;

    PipelineExchangeFilter(HttpPipelines pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.fromCompletionStage(() -> pipelines
                        .pipelineFor(request.method(), request.url(), request.headers())
                        .callAsync(() ->
                                next.exchange(request).flatMap(this::judge).toFuture()))
                .onErrorResume(JudgedAnswer.class, answer -> Mono.just(asResponse(answer)));
    }

    private Mono<ClientResponse> judge(ClientResponse response) {
        HttpStatusCode status = response.statusCode();
        if (!status.isError() || !pipelines.judges(status.value())) {
            return Mono.just(response);
        }
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> Mono.error(new JudgedAnswer(
                        status, statusText(status), response.headers().asHttpHeaders(), body)));
    }

    private static String statusText(HttpStatusCode status) {
        return status instanceof org.springframework.http.HttpStatus known ? known.getReasonPhrase() : "";
    }

    private static ClientResponse asResponse(JudgedAnswer answer) {
        return ClientResponse.create(answer.getStatusCode())
                .headers(headers -> {
                    if (answer.getResponseHeaders() != null) {
                        headers.addAll(answer.getResponseHeaders());
                    }
                })
                .body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(answer.getResponseBodyAsByteArray())))
                .build();
    }
}
