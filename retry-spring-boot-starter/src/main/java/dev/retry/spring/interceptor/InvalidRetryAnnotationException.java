package dev.retry.spring.interceptor;

/**
 * An annotated method that cannot work as written: it names an entry that is not configured, its
 * fallback method is missing or does not fit, or it returns a type the annotations cannot handle.
 * Thrown when the method's bean is created, so the application does not start.
 */
public class InvalidRetryAnnotationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String method;
    private final String problem;
    private final String allowed;

    public InvalidRetryAnnotationException(String method, String problem, String allowed) {
        super(method + ": " + problem + ". " + allowed);
        this.method = method;
        this.problem = problem;
        this.allowed = allowed;
    }

    /** The method, as {@code SimpleClassName.method(ParameterTypes)}. */
    public String method() {
        return method;
    }

    /** What is wrong. */
    public String problem() {
        return problem;
    }

    /** What would be accepted instead. */
    public String allowed() {
        return allowed;
    }
}
