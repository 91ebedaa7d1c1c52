package dev.retry.test.spring;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * After each test of a {@link VirtualTime} class, resets what the test left behind ({@link
 * RetryTestKit#reset()}), so the next test starts from closed breakers and empty windows even when
 * Spring hands it the same cached context.
 */
public final class VirtualTimeExtension implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        SpringExtension.getApplicationContext(context)
                .getBean(RetryTestKit.class)
                .reset();
    }
}
