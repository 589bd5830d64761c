package dev.steptorch.tensor;

/** The elementwise one-input ops a backend kernel computes. */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, ABS;

    public double apply(double x) {
        switch (this) {
            case NEG: return -x;
            case EXP: return Math.exp(x);
            case LOG: return Math.log(x);
            case SQRT: return Math.sqrt(x);
            default: return Math.abs(x);
        }
    }

    public long apply(long x) {
        switch (this) {
            case NEG: return -x;
            case ABS: return Math.abs(x);
            default: throw new IllegalStateException(this + " on integers is promoted to float above the kernels");
        }
    }
}
