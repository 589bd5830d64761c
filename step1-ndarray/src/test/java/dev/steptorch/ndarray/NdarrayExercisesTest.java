package dev.steptorch.ndarray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.steptorch.ndarray.lessons.WarmupNumpy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The graded tests of step 1's classroom exercises (exercises.txt, docs/teaching.md). Each test
 * checks one exercise, and its messages say what is wrong in the course's terms.
 */
class NdarrayExercisesTest {

    @Test
    void contiguousStrides() {
        int[][][] cases = {
            {{4, 6}, {6, 1}},
            {{2, 3, 4}, {12, 4, 1}},
            {{5}, {1}},
            {{}, {}},
            {{3, 0, 2}, {2, 2, 1}},
        };
        for (int[][] c : cases) {
            int[] got = Shapes.contiguousStrides(c[0]);
            if (!Arrays.equals(got, c[1])) {
                fail("strides of a new C-order array of shape " + Shapes.str(c[0]) + ": expected " + Arrays.toString(c[1])
                        + ", got " + Arrays.toString(got) + " (the last axis moves fastest, with stride 1)");
            }
        }
    }

    @Test
    void broadcastShape() {
        int[][][] cases = {
            {{4, 3}, {3}, {4, 3}},
            {{4, 1}, {1, 5}, {4, 5}},
            {{2, 1, 3}, {4, 1}, {2, 4, 3}},
            {{}, {2, 2}, {2, 2}},
            {{1}, {0}, {0}},
        };
        for (int[][] c : cases) {
            int[] got = Shapes.broadcast("add", c[0], c[1]);
            if (!Arrays.equals(got, c[2])) {
                fail("shapes " + Shapes.str(c[0]) + " and " + Shapes.str(c[1]) + " broadcast to " + Shapes.str(c[2]) + ", got "
                        + Shapes.str(got));
            }
        }
        try {
            int[] got = Shapes.broadcast("add", new int[] {4, 3}, new int[] {4});
            fail("shapes (4, 3) and (4,) do not broadcast (3 against 4), but got " + Shapes.str(got));
        } catch (IllegalArgumentException e) {
            assertEquals("add: operands could not be broadcast together with shapes (4,3) (4,)", e.getMessage(),
                    "the error for (4, 3) with (4,) should read like NumPy's");
        }
    }

    @Test
    void broadcastStrides() {
        // a (3, 1) column read as (2, 3, 4): a new leading axis and a stretched axis get stride 0
        int[] got = Shapes.broadcastStrides(new int[] {3, 1}, new int[] {1, 1}, new int[] {2, 3, 4});
        if (!Arrays.equals(got, new int[] {0, 1, 0})) {
            fail("a (3, 1) array with strides [1, 1] read as shape (2, 3, 4): expected strides [0, 1, 0], got "
                    + Arrays.toString(got));
        }
        got = Shapes.broadcastStrides(new int[] {2, 3}, new int[] {3, 1}, new int[] {2, 3});
        if (!Arrays.equals(got, new int[] {3, 1})) {
            fail("an array already of the target shape (2, 3) keeps its strides [3, 1], got " + Arrays.toString(got));
        }
        NDArray row = NumPy.of(1, 2, 3);
        NDArray sum = NumPy.zeros(2, 3).add(row);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                if (sum.item(i, j) != j + 1) {
                    fail("zeros((2, 3)) + [1, 2, 3] at [" + i + ", " + j + "]: expected " + (j + 1) + ", got " + sum.item(i, j));
                }
            }
        }
    }

    @Test
    void warmupBackward() {
        NumPy.random().seed(3);
        NDArray x = NumPy.random().randn(3, 4);
        NDArray y = NumPy.random().randn(3, 2);
        NDArray w1 = NumPy.random().randn(4, 5);
        NDArray w2 = NumPy.random().randn(5, 2);
        WarmupNumpy.Pass pass = WarmupNumpy.forwardBackward(x, y, w1, w2);
        compare("grad_w1", pass.gradW1(), x, y, w1, w2, w1);
        compare("grad_w2", pass.gradW2(), x, y, w1, w2, w2);
    }

    /** The hand-written gradient against central differences of the loss, element by element. */
    private static void compare(String name, NDArray got, NDArray x, NDArray y, NDArray w1, NDArray w2, NDArray wrt) {
        if (got == null || !Arrays.equals(got.shape(), wrt.shape())) {
            fail(name + " should have the weight's shape " + Shapes.str(wrt.shape()) + ", got "
                    + (got == null ? "null" : Shapes.str(got.shape())));
        }
        double eps = 1e-6;
        for (int i = 0; i < wrt.shape(0); i++) {
            for (int j = 0; j < wrt.shape(1); j++) {
                double v = wrt.item(i, j);
                wrt.itemset(v + eps, i, j);
                double plus = loss(x, y, w1, w2);
                wrt.itemset(v - eps, i, j);
                double minus = loss(x, y, w1, w2);
                wrt.itemset(v, i, j);
                double expected = (plus - minus) / (2 * eps);
                double g = got.item(i, j);
                if (Math.abs(g - expected) > 1e-4 * (1 + Math.abs(expected))) {
                    fail(name + "[" + i + ", " + j + "] = d loss / d " + name.substring(5) + "[" + i + ", " + j + "]: expected "
                            + expected + " (central differences of the loss), got " + g);
                }
            }
        }
    }

    private static double loss(NDArray x, NDArray y, NDArray w1, NDArray w2) {
        NDArray yPred = NumPy.maximum(x.dot(w1), 0).dot(w2);
        return NumPy.square(yPred.sub(y)).sum().item();
    }
}
