package dev.retry.spring.actuate;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a {@code POST /actuator/circuitbreakers/{name}} whose body is not JSON ({@code text/plain},
 * a form, XML) with the endpoint's own 400, which lists the states and says what to send, instead
 * of the bare 415 that Spring MVC raises while it looks for the operation. The actuator lets its
 * write operations consume JSON only, so the endpoint never sees such a request; this resolver
 * sees the refusal instead, for that one path and method only, and leaves every other 415 of the
 * application alone. A JSON body the actuator cannot read (malformed, or a state that is an array or
 * an object) gets the same 400 rather than Spring MVC's bare one. An unknown breaker is a 404, as the endpoint answers it; nothing is moved.
 * {@link CircuitBreakersBodyTypeHandler} does the same under WebFlux.
 */
public final class CircuitBreakersBodyTypeResolver implements HandlerExceptionResolver, Ordered {

    private final CircuitBreakersBodyRefusal refusal;

    /**
     * @param endpointPath where the endpoint is mapped, such as {@code /actuator/circuitbreakers};
     *     {@code null} while it is not exposed over HTTP
     * @param endpoint the endpoint, which knows the breakers and words the refusal
     */
    public CircuitBreakersBodyTypeResolver(Supplier<@Nullable String> endpointPath, CircuitBreakersEndpoint endpoint) {
        this.refusal = new CircuitBreakersBodyRefusal(endpointPath, endpoint);
    }

    @Override
    public @Nullable ModelAndView resolveException(
            HttpServletRequest request, HttpServletResponse response, @Nullable Object handler, Exception failure) {
        // The actuator reads the body as names with single values: {"state": ["OPEN"]} or malformed
        // JSON fails there, before the endpoint, and would get Spring MVC's bare 400.
        boolean unreadable = failure instanceof HttpMessageNotReadableException;
        if (!(failure instanceof HttpMediaTypeNotSupportedException || unreadable)
                || !"POST".equals(request.getMethod())) {
            return null;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String name = refusal.breakerName(path, servletPath);
        if (name == null) {
            return null;
        }
        try {
            if (!refusal.hasBreaker(name)) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return new ModelAndView();
            }
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter()
                    .write(
                            unreadable
                                    ? CircuitBreakersBodyRefusal.unreadableJson(name)
                                    : CircuitBreakersBodyRefusal.json(name, request.getContentType()));
            return new ModelAndView();
        } catch (IOException unwritable) {
            return null;
        }
    }

    /** Ahead of Spring MVC's own resolvers, which would answer the 415. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
