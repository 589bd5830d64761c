package dev.steptorch.tensor.cpu;

import dev.steptorch.ndarray.MatMul;
import dev.steptorch.tensor.Tensor;

/**
 * Picks the matrix-product kernel for the dtype; B is made row-contiguous first if it is not.
 * The kernels may count on C being a fresh (so zeroed) array from {@code Backend.mm}.
 */
final class Matmul {
    private Matmul() {
    }

    static void mm(Tensor a, Tensor b, Tensor out) {
        int m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
        Tensor rows = b.strides()[1] == 1 && (b.strides()[0] == n || k == 1) ? b : b.contiguous();
        Object x = ((CpuStorage) a.storage()).array();
        Object y = ((CpuStorage) rows.storage()).array();
        Object z = ((CpuStorage) out.storage()).array();
        int ars = a.strides()[0], acs = a.strides()[1];
        if (z instanceof float[]) {
            FloatGemm.multiply((float[]) x, a.storageOffset(), ars, acs, (float[]) y, rows.storageOffset(), (float[]) z, m, k, n);
        } else if (z instanceof double[]) {
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
                    r[i * n + j] = s;
                }
            }
        }
    }
}
