package dev.steptorch.tensor.opencl;

import static dev.steptorch.tensor.opencl.TensorKernel.*;


/**
 * The math functions of {@link TensorKernel}'s unary branch from code 50 on, kept apart so the
 * kernel class stays readable; Aparapi compiles the methods of a kernel's superclasses with it.
 * The codes are TensorKernel's constants (javac writes them in as literals).
 */
abstract class KernelMath extends WindowKernel {
    /** The function of code {@code f} (TAN to ERF) on doubles; 0 for any other code. */
    double unaryMore(int f, double x) {
        double r = 0.0;
        if (f == FN_TAN) {
            r = tan(x);
        } else if (f == FN_RSQRT) {
            r = 1.0 / Math.sqrt(x);
        } else if (f == FN_RECIPROCAL) {
            r = 1.0 / x;
        } else if (f == FN_LOG1P) {
            r = log1p(x);
        } else if (f == FN_EXPM1) {
            r = expm1(x);
        } else if (f == FN_SIGN) {
            r = x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : 0.0;
        } else if (f == FN_FLOOR) {
            r = floor(x);
        } else if (f == FN_CEIL) {
            r = ceil(x);
        } else if (f == FN_ROUND) {
            r = rint(x);
        } else if (f == FN_ERF) {
            r = erf(x);
        }
        return r;
    }

    /** SpecialFunctions.erf written again, because Aparapi compiles only the kernel's own methods. */
    double erf(double x) {
        double a = x < 0.0 ? -x : x;
        double r = 1.0;
        if (a < 2.5) {
            double a2 = 2.0 * a * a;
            double term = a;
            double sum = a;
            for (int k = 1; k < 200 && term > sum * 1e-17; k++) {
                term = term * (a2 / (2 * k + 1));
                sum = sum + term;
            }
            r = 1.1283791670955126 * Math.exp(-a * a) * sum;
        } else if (a < 6.0) {
            double f = a;
            for (int k = 60; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            r = 1.0 - Math.exp(-a * a) / (1.7724538509055159 * f);
        }
        if (x != x) {
            r = x;
        }
        return x < 0.0 ? -r : r;
    }
}
