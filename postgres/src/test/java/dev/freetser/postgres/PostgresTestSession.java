package dev.freetser.postgres;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Starts the tests' PostgreSQL server ({@link PostgresServer}) once per test JVM, before any test
 * runs, and hands its URL to the tests that cannot see {@link PostgresServer} (core's storage
 * contract tests, the demo's) as the system property {@value #URL_PROPERTY}. Registered in
 * {@code META-INF/services}, so every module with this test jar on its path gets it.
 *
 * <p>Without a server those tests are skipped, and the session says so once. With
 * {@code FREETSER_REQUIRE_POSTGRES=1} (CI) the run fails instead: at once when there is no
 * server, and at its end, where the contract runs on PostgreSQL ({@code FREETSER_TEST_ENGINE=postgres},
 * this module), when not one contract test ran to an outcome.
 */
public final class PostgresTestSession implements LauncherSessionListener {
    /** The server's admin URL (it may create schemas); core's {@code Stores} reads it by this name. */
    public static final String URL_PROPERTY = "freetser.test.postgres.url";

    /** Tests of core's storage contract (package dev.freetser.storage) that passed or failed: neither skipped nor aborted. */
    private final AtomicInteger contractTestsRun = new AtomicInteger();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty(URL_PROPERTY) == null) {
            String url = PostgresServer.serverUrl();
            if (url != null) {
                System.setProperty(URL_PROPERTY, url);
            } else if (required()) {
                throw new IllegalStateException("FREETSER_REQUIRE_POSTGRES=1 requires the PostgreSQL tests to run, but there is "
                        + PostgresServer.whyUnavailable());
            } else {
                System.err.println("[freetser] the PostgreSQL tests are skipped: " + PostgresServer.whyUnavailable());
            }
        }
        session.getLauncher().registerTestExecutionListeners(new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest() && result.getStatus() != TestExecutionResult.Status.ABORTED
                        && test.getSource().orElse(null) instanceof MethodSource method
                        && method.getClassName().startsWith("dev.freetser.storage.")) {
                    contractTestsRun.incrementAndGet();
                }
            }
        });
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (required() && "postgres".equals(System.getenv("FREETSER_TEST_ENGINE")) && contractTestsRun.get() == 0) {
            throw new IllegalStateException("FREETSER_REQUIRE_POSTGRES=1, but not one storage contract test ran on PostgreSQL:"
                    + " postgres/pom.xml's surefire runs them from core's test jar (a -Dtest that selects none of them stops that too)");
        }
    }

    private static boolean required() {
        return "1".equals(System.getenv("FREETSER_REQUIRE_POSTGRES"));
    }
}
