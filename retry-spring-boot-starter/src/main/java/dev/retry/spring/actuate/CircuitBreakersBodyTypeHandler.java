package dev.retry.spring.actuate;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Under WebFlux, answers a {@code POST /actuator/circuitbreakers/{name}} whose body is not JSON with
 * the endpoint's own 400, as {@link CircuitBreakersBodyTypeResolver} does under Spring MVC: the
 * actuator refuses such a body with a 415 while it reads it for the endpoint's operation, and this
 * handler sees that refusal first, for that one path and method only, and likewise a JSON body it
 * cannot read (malformed, or a state that is an array or an object). Every other 415 of the
 * application goes on to the handlers after it. An unknown breaker is a 404; nothing is moved.
 */
public final class CircuitBreakersBodyTypeHandler implements WebExceptionHandler, Ordered {

    /** Before Spring Boot's error handler, which is at -1 and would answer the 415. */
    private static final int BEFORE_BOOTS_ERROR_HANDLER = -2;

    private final CircuitBreakersBodyRefusal refusal;

    /**
     * @param endpointPath where the endpoint is mapped, such as {@code /actuator/circuitbreakers};
     *     {@code null} while it is not exposed over HTTP
     * @param endpoint the endpoint, which knows the breakers and words the refusal
     */
    public CircuitBreakersBodyTypeHandler(Supplier<@Nullable String> endpointPath, CircuitBreakersEndpoint endpoint) {
        this.refusal = new CircuitBreakersBodyRefusal(endpointPath, endpoint);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpRequest request = exchange.getRequest();
        boolean unreadable = failure instanceof ServerWebInputException;
        if (!(isUnsupportedMediaType(failure) || unreadable) || request.getMethod() != HttpMethod.POST) {
            return Mono.error(failure);
        }
        String name =
                refusal.breakerName(request.getPath().pathWithinApplication().value(), "");
        ServerHttpResponse response = exchange.getResponse();
        if (name == null || response.isCommitted()) {
            return Mono.error(failure);
        }
        if (!refusal.hasBreaker(name)) {
            response.setStatusCode(HttpStatus.NOT_FOUND);
            return response.setComplete();
        }
        MediaType type = request.getHeaders().getContentType();
        String refused = unreadable
                ? CircuitBreakersBodyRefusal.unreadableJson(name)
                : CircuitBreakersBodyRefusal.json(name, type == null ? null : type.toString());
        byte[] body = refused.getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(HttpStatus.BAD_REQUEST);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /**
     * WebFlux refuses the type while the actuator's operation reads its body: with an {@link
     * UnsupportedMediaTypeStatusException}, or for a form with a bare 415 {@link ResponseStatusException}.
     */
    private static boolean isUnsupportedMediaType(Throwable failure) {
        return failure instanceof ResponseStatusException refused
                && refused.getStatusCode().value() == HttpStatus.UNSUPPORTED_MEDIA_TYPE.value();
    }

    @Override
    public int getOrder() {
        return BEFORE_BOOTS_ERROR_HANDLER;
    }
}
