package dev.steptorch.tensor.cpu;

import dev.steptorch.ndarray.MatMul;
import dev.steptorch.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * Picks the matrix-product kernel for the dtype and shape: for float32 {@link FloatDots} or
 * {@link FloatGemm}, which read both operands through their strides; the float64 and int64 loops
 * get a row-contiguous B. Every kernel adds the product into C: {@code Backend.mm} zeroes C
 * first, and {@code addmm_} sums a product into a tensor that way.
 */
final class Matmul {
    private Matmul() {
    }

    /** {@code contiguous} is the CPU backend's own copy, not Tensor.contiguous(), which would pass through the dispatch layers again. */
    static void mm(Tensor a, Tensor b, Tensor out, UnaryOperator<Tensor> contiguous) {
        int m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
        Object x = ((CpuStorage) a.storage()).array();
        Object z = ((CpuStorage) out.storage()).array();
        int ars = a.strides()[0], acs = a.strides()[1];
        if (z instanceof float[]) {
            float[] bArray = (float[]) ((CpuStorage) b.storage()).array();
            int brs = b.strides()[0], bcs = b.strides()[1];
            if (FloatDots.suits(acs, brs, m, k, n)) {
                FloatDots.multiply((float[]) x, a.storageOffset(), ars, bArray, b.storageOffset(), bcs, (float[]) z, m, k, n);
                return;
            }
            // FloatGemm reads B through its strides too (w2.t() in the course's backward pass): no transposing copy
            FloatGemm.multiply((float[]) x, a.storageOffset(), ars, acs, bArray, b.storageOffset(), brs, bcs, (float[]) z, m, k, n);
            return;
        }
        boolean rowMajor = b.strides()[1] == 1 && (b.strides()[0] == n || k == 1);
        Tensor rows = rowMajor ? b : contiguous.apply(b);
        Object y = ((CpuStorage) rows.storage()).array();
        if (z instanceof double[]) {
            MatMul.multiply((double[]) x, a.storageOffset(), ars, acs, (double[]) y, rows.storageOffset(), (double[]) z, m, k, n);
        } else {
            long[] p = (long[]) x, q = (long[]) y, r = (long[]) z;
            int bo = rows.storageOffset();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    long s = 0;
                    for (int t = 0; t < k; t++) {
                        s += p[a.storageOffset() + i * ars + t * acs] * q[bo + t * n + j];
                    }
                    r[i * n + j] += s;
                }
            }
        }
    }
}
