package dev.steptorch.ndarray;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Decimal text for one float, the way Python and NumPy write it. Both start from the shortest
 * digit string that reads back as the same float ("unique" digits), which Java 17's
 * {@code Double.toString} does not always give, so we search for it with exact BigDecimal rounding.
 */
final class FloatFormat {
    private FloatFormat() {
    }

    /** Python's {@code repr(float)}: {@code 0.1}, {@code 1.0}, {@code 1e-06}, {@code 1.5e+16}. */
    static String repr(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (x == 0) return signbit(x) ? "-0.0" : "0.0";
        BigDecimal d = shortest(x, false);
        int exp = d.precision() - d.scale() - 1; // position of the leading digit
        if (exp >= -5 + 1 && exp < 16) {
            String s = d.toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        return scientificText(d, 0, 2, false);
    }

    /**
     * NumPy's {@code dragon4_positional(x, precision, unique=True, fractional=True, trim='.')}:
     * unique digits, but at most {@code precision} after the point; an integer keeps its point.
     */
    static String positional(double x, int precision, boolean float32) {
        BigDecimal d = x == 0 ? BigDecimal.ZERO : shortest(x, float32);
        if (d.scale() > precision) {
            d = exact(x, float32).setScale(precision, RoundingMode.HALF_EVEN).stripTrailingZeros();
        }
        String s = d.scale() <= 0 ? d.setScale(0).toPlainString() + "." : d.toPlainString();
        return x == 0 && signbit(x) ? "-" + s : s;
    }

    /**
     * NumPy's {@code dragon4_scientific}: unique digits, at most {@code precision} after the point,
     * padded with zeros to {@code minDigits}, exponent with at least {@code expDigits} digits.
     */
    static String scientific(double x, int precision, int minDigits, int expDigits, boolean float32) {
        BigDecimal d = x == 0 ? BigDecimal.ZERO : shortest(x, float32);
        if (d.precision() - 1 > precision) {
            d = exact(x, float32).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        }
        String s = scientificText(d, minDigits, expDigits, true);
        return x == 0 && signbit(x) ? "-" + s : s;
    }

    private static String scientificText(BigDecimal d, int minDigits, int expDigits, boolean keepPoint) {
        String digits = d.unscaledValue().abs().toString();
        int exp = d.signum() == 0 ? 0 : d.precision() - d.scale() - 1;
        StringBuilder sb = new StringBuilder();
        if (d.signum() < 0) sb.append('-');
        sb.append(digits.charAt(0));
        String frac = digits.substring(1);
        while (frac.length() < minDigits) frac += "0";
        if (!frac.isEmpty() || keepPoint) sb.append('.').append(frac);
        sb.append('e').append(exp < 0 ? '-' : '+');
        String e = Integer.toString(Math.abs(exp));
        for (int i = e.length(); i < expDigits; i++) sb.append('0');
        return sb.append(e).toString();
    }

    /** The shortest decimal (trailing zeros stripped) that rounds back to x. */
    static BigDecimal shortest(double x, boolean float32) {
        BigDecimal exact = exact(x, float32);
        for (int p = 1; p < 17; p++) {
            BigDecimal d = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            boolean same = float32 ? d.floatValue() == (float) x : d.doubleValue() == x;
            if (same) return d.stripTrailingZeros();
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    private static BigDecimal exact(double x, boolean float32) {
        return new BigDecimal(float32 ? (double) (float) x : x);
    }

    private static boolean signbit(double x) {
        return Double.doubleToRawLongBits(x) < 0;
    }
}
