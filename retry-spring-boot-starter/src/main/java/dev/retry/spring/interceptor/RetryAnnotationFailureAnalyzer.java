package dev.retry.spring.interceptor;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up that failed on an annotated method that cannot work as written: which method,
 * what is wrong with it, and what would be accepted.
 */
public final class RetryAnnotationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRetryAnnotationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidRetryAnnotationException cause) {
        return new FailureAnalysis(
                "Invalid retry annotation on " + cause.method() + ": " + cause.problem(), cause.allowed(), cause);
    }
}
