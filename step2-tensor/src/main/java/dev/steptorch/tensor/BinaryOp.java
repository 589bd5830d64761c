package dev.steptorch.tensor;

/** The elementwise two-input ops a backend kernel computes; comparisons write bool. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE;

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }

    public double apply(double a, double b) {
        switch (this) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case POW: return Math.pow(a, b);
            case MAXIMUM: return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM: return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            default: return test(a, b) ? 1 : 0;
        }
    }

    public long apply(long a, long b) {
        switch (this) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: throw new IllegalStateException("integer division is promoted to float above the kernels");
            case POW: return ipow(a, b);
            case MAXIMUM: return Math.max(a, b);
            case MINIMUM: return Math.min(a, b);
            default: return test(a, b) ? 1 : 0;
        }
    }

    /** Bool arithmetic as PyTorch: add is "or", mul is "and". */
    public boolean apply(boolean a, boolean b) {
        switch (this) {
            case ADD: case MAXIMUM: return a || b;
            case MUL: case MINIMUM: return a && b;
            case POW: return a || !b;
            default: return apply(a ? 1L : 0L, b ? 1L : 0L) != 0;
        }
    }

    public boolean test(double a, double b) {
        switch (this) {
            case EQ: return a == b;
            case NE: return a != b;
            case LT: return a < b;
            case LE: return a <= b;
            case GT: return a > b;
            case GE: return a >= b;
            default: throw new IllegalStateException(this + " is not a comparison");
        }
    }

    public boolean test(long a, long b) {
        switch (this) {
            case EQ: return a == b;
            case NE: return a != b;
            case LT: return a < b;
            case LE: return a <= b;
            case GT: return a > b;
            case GE: return a >= b;
            default: throw new IllegalStateException(this + " is not a comparison");
        }
    }

    private static long ipow(long base, long exp) {
        if (exp < 0) {
            return base == 1 ? 1 : base == -1 ? ((exp & 1) == 0 ? 1 : -1) : 0;
        }
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) == 1) {
                r *= base;
            }
            base *= base;
            exp >>= 1;
        }
        return r;
    }
}
