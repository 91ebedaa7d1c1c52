package dev.retry.spring.autoconfigure;

import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

/**
 * Hands the submitting thread's logging context (SLF4J's MDC: trace and request ids live there) to
 * each hedged attempt, and clears it afterwards, so that an attempt on another thread logs as the
 * caller would.
 */
final class ContextPropagatingExecutor {

    private static final boolean MDC_PRESENT =
            ClassUtils.isPresent("org.slf4j.MDC", ContextPropagatingExecutor.class.getClassLoader());

    private ContextPropagatingExecutor() {
    }

    static Executor wrap(Executor executor) {
        if (!MDC_PRESENT) {
            return executor;
        }
        return task -> {
            Map<String, String> context = MDC.getCopyOfContextMap();
            executor.execute(() -> {
                Map<String, String> previous = MDC.getCopyOfContextMap();
                if (context != null) {
                    MDC.setContextMap(context);
                } else {
                    MDC.clear();
                }
                try {
                    task.run();
                } finally {
                    if (previous != null) {
                        MDC.setContextMap(previous);
                    } else {
                        MDC.clear();
                    }
                }
            });
        };
    }
}
