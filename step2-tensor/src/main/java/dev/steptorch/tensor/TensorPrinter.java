package dev.steptorch.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * {@code toString} in PyTorch's style: {@code tensor([[ 1.0000, -0.5000], ...])}. One format
 * for all elements, chosen as {@code torch._tensor_str} chooses it: whole floats print as
 * {@code 1.}, others with four decimals, and scientific notation when the magnitudes span more
 * than a factor 1000 or leave [1e-4, 1e8). Tensors above 1000 elements are summarised with
 * "..." and three items per edge. The device and a non-default dtype follow the data.
 */
final class TensorPrinter {
    private static final int LINE_WIDTH = 80;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;

    private TensorPrinter() {
    }

    static String print(Tensor t) {
        Tensor cpu = t.cpu();
        boolean summarize = cpu.numel() > THRESHOLD;
        String prefix = "tensor(";
        StringBuilder out = new StringBuilder(prefix);
        if (cpu.numel() == 0) {
            out.append("[]");
        } else {
            Formatter f = new Formatter(cpu, summarize);
            out.append(tensorStr(cpu, f, prefix.length(), summarize));
        }
        StringBuilder suffix = new StringBuilder();
        if (cpu.numel() == 0 && cpu.dim() != 1) {
            suffix.append(", size=").append(tupleOf(cpu.shape()));
        }
        if (t.device() != Device.CPU) {
            suffix.append(", device='").append(t.device()).append('\'');
        }
        // int64 and bool show in their elements; an empty tensor has none, so it names them too
        boolean dtypeShownByData = cpu.numel() > 0 && (t.dtype() == DType.INT64 || t.dtype() == DType.BOOL);
        if (t.dtype() != DType.defaultFloat() && !dtypeShownByData) {
            suffix.append(", dtype=").append(t.dtype());
        }
        if (t.gradFn() != null) {
            suffix.append(", grad_fn=<").append(t.gradFn().name()).append('>');
        } else if (t.requiresGrad()) {
            suffix.append(", requires_grad=True");
        }
        return out.append(suffix).append(')').toString();
    }

    private static String tupleOf(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String tensorStr(Tensor t, Formatter f, int indent, boolean summarize) {
        if (t.dim() == 0) {
            return f.format(t.item());
        }
        if (t.dim() == 1) {
            return vectorStr(t, f, indent, summarize);
        }
        int n = t.size(0);
        StringBuilder b = new StringBuilder("[");
        String separator = "," + "\n".repeat(t.dim() - 1) + " ".repeat(indent + 1);
        boolean first = true;
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                b.append(separator).append("...");
                i = n - EDGE_ITEMS - 1;
                continue;
            }
            if (!first) {
                b.append(separator);
            }
            first = false;
            b.append(tensorStr(t.select(0, i), f, indent + 1, summarize));
        }
        return b.append(']').toString();
    }

    private static String vectorStr(Tensor t, Formatter f, int indent, boolean summarize) {
        int elementSize = f.width + 2;
        int perLine = Math.max(1, (LINE_WIDTH - indent) / elementSize);
        int n = t.size(0);
        StringBuilder b = new StringBuilder("[");
        int onLine = 0;
        for (int i = 0; i < n; i++) {
            String item;
            if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                // PyTorch's placeholder is a fixed " ...", not padded to the element width
                item = " ...";
                i = n - EDGE_ITEMS - 1;
            } else {
                item = f.format(t.select(0, i).item());
            }
            if (b.length() > 1) {
                b.append(onLine == perLine ? ",\n" + " ".repeat(indent + 1) : ", ");
                if (onLine == perLine) {
                    onLine = 0;
                }
            }
            b.append(item);
            onLine++;
        }
        return b.append(']').toString();
    }

    /** The one element format of a tensor, from all (or, when summarising, the shown) values. */
    private static final class Formatter {
        private final DType dtype;
        private boolean intMode = true;
        private boolean sciMode;
        private int width = 1;

        Formatter(Tensor t, boolean summarize) {
            dtype = t.dtype();
            double[] values = (summarize ? summarized(t) : t).toDoubleArray();
            if (!dtype.isFloatingPoint()) {
                for (double v : values) {
                    width = Math.max(width, format(v).length());
                }
                return;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            boolean any = false;
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    any = true;
                    min = Math.min(min, Math.abs(v));
                    max = Math.max(max, Math.abs(v));
                    intMode &= v == Math.ceil(v);
                }
            }
            if (!any) {
                return;
            }
            sciMode = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
            // as in torch._tensor_str, zeros, nan and inf don't widen the columns
            for (double v : values) {
                if (Double.isFinite(v) && v != 0) {
                    width = Math.max(width, format(v).length());
                }
            }
        }

        /** The elements printing would show: the edges of every dimension. */
        private static Tensor summarized(Tensor t) {
            if (t.dim() == 0) {
                return t;
            }
            Tensor s = t;
            for (int d = 0; d < t.dim(); d++) {
                int n = s.size(d);
                if (n > 2 * EDGE_ITEMS) {
                    s = Torch.cat(d, s.narrow(d, 0, EDGE_ITEMS), s.narrow(d, n - EDGE_ITEMS, EDGE_ITEMS));
                }
            }
            return s;
        }

        String format(double v) {
            String s;
            if (dtype == DType.BOOL) {
                s = v != 0 ? "True" : "False";
            } else if (!dtype.isFloatingPoint()) {
                s = Long.toString((long) v);
            } else if (Double.isNaN(v)) {
                s = "nan";
            } else if (Double.isInfinite(v)) {
                s = v > 0 ? "inf" : "-inf";
            } else if (sciMode) {
                s = pythonSci(v);
            } else if (intMode) {
                s = fixed(v, 0) + ".";
            } else {
                s = fixed(v, 4);
            }
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }

        /**
         * Python's {@code '{:.Nf}'}. Python rounds the exact binary value half to even
         * (0.03125 gives 0.0312); Java's {@code %.4f} rounds half up, so BigDecimal does it here.
         */
        private static String fixed(double v, int decimals) {
            String digits = new BigDecimal(Math.abs(v)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
            return sign(v) + digits;
        }

        /** Python's {@code '{:.4e}'}: rounded as {@link #fixed}, at least two exponent digits, e.g. {@code 1.0000e-05}. */
        private static String pythonSci(double v) {
            if (v == 0) {
                return sign(v) + "0.0000e+00";
            }
            BigDecimal r = new BigDecimal(Math.abs(v)).round(new MathContext(5, RoundingMode.HALF_EVEN));
            int exp = r.precision() - r.scale() - 1;
            String digits = (r.unscaledValue().toString() + "0000").substring(0, 5);
            return sign(v) + digits.charAt(0) + "." + digits.substring(1) + "e" + (exp < 0 ? "-" : "+")
                    + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }

        /** Python keeps the sign of -0.0 and of values that round to zero. */
        private static String sign(double v) {
            return Math.copySign(1.0, v) < 0 ? "-" : "";
        }
    }
}
