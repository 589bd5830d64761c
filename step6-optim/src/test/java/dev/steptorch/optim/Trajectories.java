package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.fail;

import java.util.List;

/** Compares parameter trajectories step by step, naming the first element that differs. */
final class Trajectories {
    private Trajectories() {
    }

    /** |actual - expected| <= rtol * |expected| + atol, at every step, for W and b. */
    static void assertClose(List<double[][]> actual, List<double[][]> expected, double rtol, double atol) {
        if (actual.size() != expected.size()) {
            fail("expected " + expected.size() + " steps, got " + actual.size());
        }
        for (int k = 0; k < expected.size(); k++) {
            for (int p = 0; p < 2; p++) {
                double[] a = actual.get(k)[p];
                double[] e = expected.get(k)[p];
                for (int i = 0; i < e.length; i++) {
                    if (!(Math.abs(a[i] - e[i]) <= rtol * Math.abs(e[i]) + atol)) {
                        fail("after step %d, %s[%d] = %s, expected %s", k + 1, p == 0 ? "W" : "b", i, a[i], e[i]);
                    }
                }
            }
        }
    }
}
