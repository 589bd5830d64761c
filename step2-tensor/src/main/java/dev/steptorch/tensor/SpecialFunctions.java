package dev.steptorch.tensor;

/**
 * Functions {@link Math} lacks, on doubles. The OpenCL kernel has its own copy of each (Aparapi
 * cannot call outside its kernel class), and the GPU-vs-CPU properties hold the two together.
 */
final class SpecialFunctions {
    private SpecialFunctions() {
    }

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double SQRT_PI = 1.7724538509055159;

    /**
     * The error function, within a few ulps of the exact value. Below 2.5 it sums the series
     * {@code erf(a) = 2/sqrt(pi) exp(-a^2) sum (2a^2)^n a / (1*3*...*(2n+1))}, whose terms are all
     * positive, so nothing cancels; from 2.5 it takes {@code 1 - erfc(a)} with erfc from its
     * continued fraction {@code exp(-a^2)/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + ...))))};
     * from 6 on, erf is 1 in double precision.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r;
        if (a < 2.5) {
            double a2 = 2 * a * a;
            double term = a;
            double sum = a;
            for (int n = 1; n < 200 && term > sum * 1e-17; n++) {
                term *= a2 / (2 * n + 1);
                sum += term;
            }
            r = TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
        } else if (a < 6) {
            double f = a;
            for (int k = 60; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            r = 1 - Math.exp(-a * a) / (SQRT_PI * f);
        } else {
            r = 1;
        }
        return x < 0 ? -r : r;
    }
}
