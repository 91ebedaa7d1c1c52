package dev.retry.spring.autoconfigure;

import dev.retry.core.CoreThreads;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Stops the core's own threads ({@code retry-scheduler}, {@code retry-clock}, {@code retry-hedge-N})
 * when the application context closes, so that a closed or redeployed application leaves none of
 * them behind, nor the class loader they would hold. Hedged attempts already run on the
 * application's task executor, which Spring Boot shuts down itself.
 */
@AutoConfiguration
public final class RetryThreadsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CoreThreadsShutdown retryCoreThreadsShutdown() {
        return new CoreThreadsShutdown();
    }

    /**
     * Ends the core's threads as the context is destroyed. The core restarts a thread only if a
     * policy is used afterwards; another context still running in the same JVM simply gets fresh ones.
     */
    static final class CoreThreadsShutdown implements DisposableBean {

        @Override
        public void destroy() {
            CoreThreads.stop();
        }
    }
}
