package dev.retry.benchmarks;

/** What each benchmark's set-up checks before it measures anything. */
final class Checks {

    private Checks() {}

    /**
     * Makes one call and checks that it answered with the request: a misconfigured variant fails
     * the trial at once instead of measuring something else.
     */
    static ProtectedCall succeeds(ProtectedCall call, String request) throws Exception {
        String answer = call.call(request);
        if (!request.equals(answer)) {
            throw new IllegalStateException(
                    "expected the call to answer '" + request + "', but it answered '" + answer + "'");
        }
        return call;
    }
}
