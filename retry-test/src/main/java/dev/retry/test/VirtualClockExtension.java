package dev.retry.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands each test a fresh {@link VirtualClock} for policies the test builds itself, without Spring:
 *
 * <pre>{@code
 * @ExtendWith(VirtualClockExtension.class)
 * class InventoryTests {
 *     @Test
 *     void retriesInVirtualTime(VirtualClock clock) {
 *         RetryPolicy retry = RetryPolicy.builder().ticker(clock).sleeper(clock).scheduler(clock).build();
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>A test method and the {@code @BeforeEach} and {@code @AfterEach} methods around it get the same
 * clock; the next test gets a new one, so no time, task or record leaks between tests. A
 * {@code @BeforeAll} method gets one clock for the whole class.
 */
public final class VirtualClockExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(VirtualClockExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == VirtualClock.class;
    }

    @Override
    public VirtualClock resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return clockOf(extensionContext);
    }

    /** The clock of the test (or, outside a test method, of the class) that {@code context} describes. */
    public static VirtualClock clockOf(ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .computeIfAbsent(VirtualClock.class, type -> new VirtualClock(), VirtualClock.class);
    }
}
