package dev.retry.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to one call of a hedging policy, as told to a {@link HedgeListener}.
 *
 * <p>Events are created only when a listener is registered, so a policy nobody listens to pays
 * nothing for them.
 *
 * @param policy the name of the policy
 * @param attempts the attempts started so far, the primary included
 * @param winner the attempt whose result the call returns: 1 for the primary, 2 for the first
 *     hedge, and so on; 0 when no attempt has won
 * @param delay the delay this call waits before each hedge
 * @param elapsed the time since the call started
 * @param failure for {@link HedgeListener#onAllFailed}, what the call throws; {@code null} otherwise
 */
public record HedgeEvent(
        String policy,
        int attempts,
        int winner,
        Duration delay,
        Duration elapsed,
        @Nullable Throwable failure) {}
