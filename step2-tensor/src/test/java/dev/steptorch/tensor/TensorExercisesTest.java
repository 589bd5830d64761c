package dev.steptorch.tensor;

import static dev.steptorch.tensor.ExerciseAssert.check;
import static dev.steptorch.tensor.ExerciseAssert.close;

import org.junit.jupiter.api.Test;

/** The graded tests of step 2's classroom exercises (exercises.txt, docs/teaching.md), one per exercise. */
class TensorExercisesTest {

    @Test
    void promoteTypes() {
        DType[][] table = {
            {DType.BOOL, DType.BOOL, DType.BOOL},
            {DType.BOOL, DType.INT64, DType.INT64},
            {DType.INT64, DType.FLOAT32, DType.FLOAT32},
            {DType.FLOAT32, DType.FLOAT64, DType.FLOAT64},
            {DType.FLOAT64, DType.INT64, DType.FLOAT64},
            {DType.BOOL, DType.FLOAT32, DType.FLOAT32},
            {DType.INT64, DType.INT64, DType.INT64},
        };
        for (DType[] row : table) {
            for (int swap = 0; swap < 2; swap++) {
                DType a = row[swap], b = row[1 - swap];
                DType got = DType.promote(a, b);
                check(got == row[2], "torch.promote_types(" + a + ", " + b + ") should be " + row[2] + ", got " + got);
            }
        }
    }

    @Test
    void trueDivision() {
        Tensor q = Torch.tensor(new long[] {1, 2, 7}).div(2);
        check(q.dtype() == DType.FLOAT32, "torch.tensor([1, 2, 7]) / 2 should be float32 (true division in the default float dtype), got "
                + q.dtype());
        close("torch.tensor([1, 2, 7]) / 2", q, new double[] {0.5, 1.0, 3.5}, 1e-7);
        Tensor f = Torch.tensor(new double[] {1, 3}, Options.dtype(DType.FLOAT64)).div(2);
        check(f.dtype() == DType.FLOAT64, "float64 / 2 should stay float64, got " + f.dtype());
    }

    @Test
    void nanMaximum() {
        Tensor a = Torch.tensor(new double[] {1, Double.NaN, 3, -1}, Options.dtype(DType.FLOAT64));
        Tensor b = Torch.tensor(new double[] {2, 0, Double.NaN, -2}, Options.dtype(DType.FLOAT64));
        close("torch.maximum([1, nan, 3, -1], [2, 0, nan, -2])", a.maximum(b), new double[] {2, Double.NaN, Double.NaN, -1}, 0);
    }

    @Test
    void integerPower() {
        long[][] cases = {{2, 10, 1024}, {3, 0, 1}, {-2, 3, -8}, {5, 1, 5}, {7, 2, 49}, {2, -1, 0}, {1, -5, 1}, {-1, -3, -1},
            {-1, -4, 1}, {0, 0, 1}, {10, 18, 1_000_000_000_000_000_000L}};
        for (long[] c : cases) {
            long got = BinaryOp.POW.apply(c[0], c[1]);
            check(got == c[2], "int64 pow: " + c[0] + " ** " + c[1] + " should be " + c[2] + ", got " + got);
        }
        Tensor t = Torch.tensor(new long[] {2, 3, 4}).pow(Torch.tensor(new long[] {3, 2, 0}));
        check(t.dtype() == DType.INT64, "an int64 tensor to an int64 power stays int64, got " + t.dtype());
        close("torch.tensor([2, 3, 4]) ** torch.tensor([3, 2, 0])", t, new double[] {8, 9, 1}, 0);
    }

    @Test
    void sumToSize() {
        Tensor g = Torch.arange(0, 24, 1, Options.dtype(DType.FLOAT64)).view(2, 3, 4);
        close("arange(24).view(2, 3, 4).sum_to_size(3, 1)", g.sumToSize(3, 1), new double[] {60, 92, 124}, 0);
        close("arange(24).view(2, 3, 4).sum_to_size(4)", g.sumToSize(4), new double[] {60, 66, 72, 78}, 0);
        close("arange(24).view(2, 3, 4).sum_to_size(1, 1, 1)", g.sumToSize(1, 1, 1), new double[] {276}, 0);
        close("arange(24).view(2, 3, 4).sum_to_size(2, 3, 4) (nothing to sum)", g.sumToSize(2, 3, 4), g, 0);
        check(g.sumToSize(3, 1).dim() == 2 && g.sumToSize(3, 1).size(1) == 1,
                "sum_to_size(3, 1) of a (2, 3, 4) tensor should have shape [3, 1], got " + g.sumToSize(3, 1).size());
        try {
            Tensor bad = Torch.zeros(2, 3).sumToSize(2);
            throw new AssertionError("a [2, 3] tensor cannot be summed to size [2] ([2] does not broadcast to [2, 3]), but got "
                    + bad.size());
        } catch (IllegalArgumentException e) {
            check("size [2] is not expandable to size [2, 3]".equals(e.getMessage()),
                    "the error for sum_to_size(2) of a [2, 3] tensor should be PyTorch's \"size [2] is not expandable to size [2, 3]\", got \""
                            + e.getMessage() + "\"");
        }
    }
}
