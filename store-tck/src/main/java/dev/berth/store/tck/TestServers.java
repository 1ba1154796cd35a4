package dev.berth.store.tck;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the real test servers are: environment variables written by
 * {@code scripts/servers.sh start DIR} into {@code DIR/servers.env}. A missing variable skips the
 * test on a developer's machine and fails it in CI ({@code CI=true}), with the command to run.
 */
public final class TestServers {

    public static final String ETCD = "BERTH_TEST_ETCD";
    public static final String S3PROXY = "BERTH_TEST_S3PROXY";
    public static final String MOTO = "BERTH_TEST_MOTO";

    private TestServers() {
    }

    /** The value of {@code variable}; aborts (skips) or fails the calling test when it is unset. */
    public static String require(String variable) {
        String value = System.getenv(variable);
        if (value != null && !value.isBlank()) {
            return value.strip();
        }
        need(false, variable + " is not set: start the test servers with 'scripts/servers.sh start DIR' and"
                + " 'source DIR/servers.env' before running these tests");
        throw new AssertionError("unreachable");
    }

    /**
     * The one rule for a test whose server or tool is missing: on a developer's machine it is skipped
     * with the reason; under {@code CI=true}, where {@code .ci/run} installs and starts everything,
     * the same lack fails the build. Does nothing when {@code available}.
     */
    public static void need(boolean available, String reason) {
        if (available) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason + " (CI=true: .ci/run installs and starts what the tests need, see scripts/test.sh)");
        }
        Assumptions.abort(reason);
    }

    /** An optional variable with a fallback (credentials of a test server, for instance). */
    public static String get(String variable, String fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
