package dev.retry.spring.actuate;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.UriUtils;

/**
 * Answers a {@code POST /actuator/circuitbreakers/{name}} whose body is not JSON ({@code text/plain},
 * a form, XML) with the endpoint's own 400, which lists the states and says what to send, instead
 * of the bare 415 that Spring MVC raises while it looks for the operation. The actuator lets its
 * write operations consume JSON only, so the endpoint never sees such a request; this resolver
 * sees the refusal instead, for that one path and method only, and leaves every other 415 of the
 * application alone. An unknown breaker is a 404, as the endpoint answers it; nothing is moved.
 */
public final class CircuitBreakersBodyTypeResolver implements HandlerExceptionResolver, Ordered {

    private final Supplier<@Nullable String> endpointPath;
    private final CircuitBreakersEndpoint endpoint;

    /**
     * @param endpointPath where the endpoint is mapped, such as {@code /actuator/circuitbreakers};
     *     {@code null} while it is not exposed over HTTP
     * @param endpoint the endpoint, which knows the breakers and words the refusal
     */
    public CircuitBreakersBodyTypeResolver(Supplier<@Nullable String> endpointPath, CircuitBreakersEndpoint endpoint) {
        this.endpointPath = endpointPath;
        this.endpoint = endpoint;
    }

    @Override
    public @Nullable ModelAndView resolveException(
            HttpServletRequest request, HttpServletResponse response, @Nullable Object handler, Exception failure) {
        if (!(failure instanceof HttpMediaTypeNotSupportedException) || !"POST".equals(request.getMethod())) {
            return null;
        }
        String name = breakerName(request);
        if (name == null) {
            return null;
        }
        try {
            if (!endpoint.hasBreaker(name)) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return new ModelAndView();
            }
            String type = request.getContentType() == null ? "no type" : request.getContentType();
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter()
                    .write(json(CircuitBreakersEndpoint.refusal(name, "the body is " + type + ", not JSON")));
            return new ModelAndView();
        } catch (IOException unwritable) {
            return null;
        }
    }

    /** The breaker named by a request to {@code <endpoint>/<name>}, or {@code null} for any other path. */
    private @Nullable String breakerName(HttpServletRequest request) {
        String mapped = endpointPath.get();
        if (mapped == null) {
            return null;
        }
        String endpointPath = mapped.endsWith("/") ? mapped : mapped + "/";
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String prefix = path.startsWith(endpointPath) ? endpointPath : servletPath + endpointPath;
        if (!path.startsWith(prefix)) {
            return null;
        }
        String name = path.substring(prefix.length());
        return name.isEmpty() || name.contains("/") ? null : UriUtils.decode(name, StandardCharsets.UTF_8);
    }

    /** Ahead of Spring MVC's own resolvers, which would answer the 415. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** The refusal's two fields, a text and a list of texts, written as JSON without a JSON library. */
    private static String json(Map<String, Object> refusal) {
        StringBuilder json = new StringBuilder("{");
        refusal.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quoted(key)).append(':');
            if (value instanceof List<?> list) {
                json.append('[');
                for (int i = 0; i < list.size(); i++) {
                    json.append(i > 0 ? "," : "").append(quoted(String.valueOf(list.get(i))));
                }
                json.append(']');
            } else {
                json.append(quoted(String.valueOf(value)));
            }
        });
        return json.append('}').toString();
    }

    private static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
