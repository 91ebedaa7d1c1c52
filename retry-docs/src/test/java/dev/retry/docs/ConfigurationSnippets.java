package dev.retry.docs;

import dev.retry.spring.registry.ConfigChange;
import dev.retry.spring.registry.RetryRegistry;
import org.springframework.core.env.Environment;

/**
 * The Java examples of docs/configuration.md, each between its {@code tag::} and {@code end::} lines
 * exactly as the page shows it ({@link SnippetsTests} holds them equal), so that every one compiles
 * against the starter as it is.
 */
class ConfigurationSnippets {

    ConfigChange reconfigure(RetryRegistry retryRegistry, Environment environment, ClassLoader classLoader) {
        // tag::reconfigure[]
        ConfigChange change = retryRegistry.reconfigure(environment, classLoader);
        // end::reconfigure[]
        return change;
    }
}
