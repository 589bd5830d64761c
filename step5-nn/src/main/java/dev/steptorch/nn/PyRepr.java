package dev.steptorch.nn;

import java.math.BigDecimal;

/** Numbers and tuples written as Python writes them, so that modules print as in PyTorch. */
final class PyRepr {
    private PyRepr() {
    }

    /** {@code (5, 5)}. */
    static String tuple(int[] values) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return sb.append(values.length == 1 ? ",)" : ")").toString();
    }

    static String bool(boolean b) {
        return b ? "True" : "False";
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back to the same double, in
     * positional form for decimal exponents -4 to 15 and as {@code 1e-05} otherwise.
     */
    static String floatRepr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        // Java's Double.toString also gives digits that read back exactly
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
        String sign = v < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        String plain = d.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
