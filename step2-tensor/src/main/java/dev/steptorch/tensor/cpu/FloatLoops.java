package dev.steptorch.tensor.cpu;

import dev.steptorch.tensor.BinaryOp;

/**
 * The hot elementwise loops of training: + - * / on float32 and float64 rows, with a separate
 * loop for the two layouts that matter (all unit stride, and a broadcast scalar on the right),
 * because the JIT only vectorises loops whose indices it can see are consecutive.
 */
final class FloatLoops {
    private FloatLoops() {
    }

    static void binary(BinaryOp op, float[] x, int ox, int sx, float[] y, int oy, int sy, float[] z, int oz, int sz, int n) {
        if (sx == 1 && sy == 1 && sz == 1) {
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] + y[oy + i]; return;
                case SUB: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] - y[oy + i]; return;
                case MUL: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] * y[oy + i]; return;
                default: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] / y[oy + i]; return;
            }
        }
        if (sx == 1 && sy == 0 && sz == 1) {
            float c = y[oy];
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] + c; return;
                case SUB: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] - c; return;
                case MUL: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] * c; return;
                default: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] / c; return;
            }
        }
        for (int i = 0; i < n; i++) {
            z[oz + i * sz] = (float) op.apply(x[ox + i * sx], (double) y[oy + i * sy]);
        }
    }

    static void binary(BinaryOp op, double[] x, int ox, int sx, double[] y, int oy, int sy, double[] z, int oz, int sz, int n) {
        if (sx == 1 && sy == 1 && sz == 1) {
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] + y[oy + i]; return;
                case SUB: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] - y[oy + i]; return;
                case MUL: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] * y[oy + i]; return;
                default: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] / y[oy + i]; return;
            }
        }
        if (sx == 1 && sy == 0 && sz == 1) {
            double c = y[oy];
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] + c; return;
                case SUB: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] - c; return;
                case MUL: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] * c; return;
                default: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] / c; return;
            }
        }
        for (int i = 0; i < n; i++) {
            z[oz + i * sz] = op.apply(x[ox + i * sx], y[oy + i * sy]);
        }
    }
}
