package dev.steptorch.testsupport;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why a test did not run, on the console: a test class or method that was disabled
 * ({@code @EnabledIfEnvironmentVariable}, say) or whose assumption failed (no OpenCL device). Maven
 * only counts skipped tests; this says which and why, e.g.
 * {@code [SKIPPED] CIFAR10RealDataTest: CIFAR10_DIR is not set: point it at ...}.
 * Every module's tests get it from the parent POM (test-support/ beside the steps).
 */
public final class SkipReasons implements TestExecutionListener {
    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("[SKIPPED] " + name(test) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
            System.out.println("[SKIPPED] " + name(test) + ": " + reason);
        }
    }

    private static String name(TestIdentifier test) {
        return test.getLegacyReportingName();
    }
}
