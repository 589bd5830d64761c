package dev.steptorch.ndarray;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * NumPy's array printing ({@code numpy/core/arrayprint.py} with its default options: precision 8,
 * line width 75, summarising arrays of more than 1000 elements to their 3 edge items). All
 * elements share one format so columns line up; floats switch to scientific notation when the
 * magnitudes are too far apart to share a fixed point.
 */
final class ArrayPrinter {
    private static final int PRECISION = 8;
    private static final int LINE_WIDTH = 75;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;

    private final NDArray a;
    private final boolean summarise;

    private ArrayPrinter(NDArray a) {
        this.a = a;
        this.summarise = a.size() > THRESHOLD;
    }

    /** {@code repr(a)}: {@code array([[1., 2.]])}, with the dtype when NumPy would show it. */
    static String repr(NDArray a) {
        boolean defaultType = a.dtype() != DType.FLOAT32;
        String prefix = "array(";
        String body;
        if (a.size() == 0) {
            body = a.ndim() == 1 ? "[]" : "[], shape=" + Shapes.str(a.shape());
            return prefix + body + ", dtype=" + a.dtype() + ")";
        }
        ArrayPrinter p = new ArrayPrinter(a);
        String suffix = defaultType ? ")" : ",";
        body = p.format(", ", " ".repeat(prefix.length()), LINE_WIDTH - suffix.length());
        String s = prefix + body + suffix;
        if (defaultType) {
            return s;
        }
        String dtypeText = "dtype=" + a.dtype() + ")";
        int lastLine = s.length() - (s.lastIndexOf('\n') + 1);
        String spacer = lastLine + dtypeText.length() + 1 > LINE_WIDTH ? "\n" + " ".repeat(prefix.length()) : " ";
        return s + spacer + dtypeText;
    }

    /** {@code str(a)}, what {@code print(a)} shows: {@code [[1. 2.]]}; a 0-d array prints its item. */
    static String str(NDArray a) {
        if (a.ndim() == 0) {
            double v = a.item();
            switch (a.dtype()) {
                case BOOL: return v != 0 ? "True" : "False";
                case INT64: return Long.toString((long) v);
                case FLOAT32: return FloatFormat.repr(Double.parseDouble(Float.toString((float) v)));
                default: return FloatFormat.repr(v);
            }
        }
        if (a.size() == 0) {
            return "[]";
        }
        return new ArrayPrinter(a).format(" ", "", LINE_WIDTH);
    }

    private String format(String separator, String prefix, int lineWidth) {
        DoubleFunction<String> element = elementFormat(shownValues());
        return recurse(0, a.offset(), " " + prefix, lineWidth, separator, element);
    }

    /** The values that will be printed: everything, or only the edges of a summarised array. */
    private double[] shownValues() {
        List<Double> values = new ArrayList<>();
        collect(0, a.offset(), values);
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    private void collect(int axis, int offset, List<Double> values) {
        if (axis == a.ndim()) {
            values.add(a.dtype().get(a.data(), offset));
            return;
        }
        int n = a.shape()[axis];
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                i = n - EDGE_ITEMS;
            }
            collect(axis + 1, offset + i * a.strides()[axis], values);
        }
    }

    private String recurse(int axis, int offset, String hangingIndent, int currWidth,
                           String separator, DoubleFunction<String> element) {
        int axesLeft = a.ndim() - axis;
        if (axesLeft == 0) {
            return element.apply(a.dtype().get(a.data(), offset));
        }
        String nextHangingIndent = hangingIndent + " ";
        int nextWidth = currWidth - 1;
        int n = a.shape()[axis];
        int stride = a.strides()[axis];
        boolean showSummary = summarise && 2 * EDGE_ITEMS < n;
        int leading = showSummary ? EDGE_ITEMS : 0;
        int trailing = showSummary ? EDGE_ITEMS : n;
        StringBuilder s = new StringBuilder();
        if (axesLeft == 1) {
            int elemWidth = currWidth - Math.max(separator.strip().length(), 1);
            StringBuilder line = new StringBuilder(hangingIndent);
            for (int i = 0; i < leading; i++) {
                extendLine(s, line, recurse(axis + 1, offset + i * stride, nextHangingIndent, nextWidth, separator, element),
                        elemWidth, hangingIndent);
                line.append(separator);
            }
            if (showSummary) {
                extendLine(s, line, "...", elemWidth, hangingIndent);
                line.append(separator);
            }
            for (int i = trailing; i > 1; i--) {
                extendLine(s, line, recurse(axis + 1, offset + (n - i) * stride, nextHangingIndent, nextWidth, separator, element),
                        elemWidth, hangingIndent);
                line.append(separator);
            }
            extendLine(s, line, recurse(axis + 1, offset + (n - 1) * stride, nextHangingIndent, nextWidth, separator, element),
                    elemWidth, hangingIndent);
            s.append(line);
        } else {
            String lineSep = separator.stripTrailing() + "\n".repeat(axesLeft - 1);
            for (int i = 0; i < leading; i++) {
                s.append(hangingIndent)
                        .append(recurse(axis + 1, offset + i * stride, nextHangingIndent, nextWidth, separator, element))
                        .append(lineSep);
            }
            if (showSummary) {
                s.append(hangingIndent).append("...").append(lineSep);
            }
            for (int i = trailing; i > 1; i--) {
                s.append(hangingIndent)
                        .append(recurse(axis + 1, offset + (n - i) * stride, nextHangingIndent, nextWidth, separator, element))
                        .append(lineSep);
            }
            s.append(hangingIndent)
                    .append(recurse(axis + 1, offset + (n - 1) * stride, nextHangingIndent, nextWidth, separator, element));
        }
        return "[" + s.substring(hangingIndent.length()) + "]";
    }

    /** Appends a word to the current line, first breaking the line if the word would overflow it. */
    private static void extendLine(StringBuilder s, StringBuilder line, String word, int lineWidth, String nextLinePrefix) {
        boolean needsWrap = line.length() + word.length() > lineWidth && line.length() > nextLinePrefix.length();
        if (needsWrap) {
            s.append(line.toString().stripTrailing()).append('\n');
            line.setLength(0);
            line.append(nextLinePrefix);
        }
        line.append(word);
    }

    private DoubleFunction<String> elementFormat(double[] values) {
        switch (a.dtype()) {
            case BOOL:
                String trueText = a.ndim() == 0 ? "True" : " True";
                return v -> v != 0 ? trueText : "False";
            case INT64: {
                int width = 0;
                for (double v : values) width = Math.max(width, Long.toString((long) v).length());
                int w = width;
                return v -> pad(Long.toString((long) v), w);
            }
            default:
                return floatFormat(values, a.dtype() == DType.FLOAT32);
        }
    }

    /** NumPy's FloatingFormat in its default 'maxprec' mode. */
    private static DoubleFunction<String> floatFormat(double[] values, boolean float32) {
        double maxVal = 0;
        double minVal = Double.POSITIVE_INFINITY;
        boolean anyFinite = false;
        boolean anyNonFinite = false;
        boolean negInf = false;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                anyNonFinite = true;
                negInf |= v == Double.NEGATIVE_INFINITY;
                continue;
            }
            anyFinite = true;
            if (v != 0) {
                maxVal = Math.max(maxVal, Math.abs(v));
                minVal = Math.min(minVal, Math.abs(v));
            }
        }
        boolean expFormat = maxVal > 0 && (maxVal >= 1e8 || minVal < 1e-4 || maxVal / minVal > 1000);
        int padLeft = 0;
        int padRight = 0;
        int precision = PRECISION;
        if (anyFinite && expFormat) {
            int expSize = 0;
            for (double v : values) {
                if (!Double.isFinite(v)) continue;
                String s = FloatFormat.scientific(v, PRECISION, 0, 2, float32);
                int e = s.indexOf('e');
                int dot = s.indexOf('.');
                padLeft = Math.max(padLeft, dot);
                padRight = Math.max(padRight, e - dot - 1);
                expSize = Math.max(expSize, s.length() - e - 2);
            }
            int digits = padRight;
            int expDigits = expSize;
            int right = expDigits + 2 + digits;
            int left = anyNonFinite ? Math.max(padLeft, (negInf ? 4 : 3) - (right + 1)) : padLeft;
            return v -> {
                if (!Double.isFinite(v)) return nonFinite(v, left, right);
                String s = FloatFormat.scientific(v, digits, digits, expDigits, float32);
                return " ".repeat(Math.max(0, left - s.indexOf('.'))) + s;
            };
        }
        if (anyFinite) {
            for (double v : values) {
                if (!Double.isFinite(v)) continue;
                String s = FloatFormat.positional(v, precision, float32);
                int dot = s.indexOf('.');
                padLeft = Math.max(padLeft, dot);
                padRight = Math.max(padRight, s.length() - dot - 1);
            }
        }
        if (anyNonFinite) {
            int offset = padRight + 1;
            padLeft = Math.max(padLeft, Math.max(3 - offset, (negInf ? 4 : 3) - offset));
        }
        int left = padLeft;
        int right = padRight;
        return v -> {
            if (!Double.isFinite(v)) return nonFinite(v, left, right);
            String s = FloatFormat.positional(v, PRECISION, float32);
            int dot = s.indexOf('.');
            return " ".repeat(Math.max(0, left - dot)) + s + " ".repeat(Math.max(0, right - (s.length() - dot - 1)));
        };
    }

    private static String nonFinite(double v, int padLeft, int padRight) {
        String text = Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        return pad(text, padLeft + padRight + 1);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
