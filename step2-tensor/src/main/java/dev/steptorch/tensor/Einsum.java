package dev.steptorch.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.einsum} for one or two operands, written with other ops (as in PyTorch): a
 * subscript repeated within an operand takes the diagonal (a strided slice of the flattened pair
 * of dims); a subscript that appears nowhere else is summed out; then one operand is permuted to
 * the output's order, and two are permuted to {@code [batch, own, contracted]} and
 * {@code [batch, contracted, own]}, reshaped to 3-D and multiplied with one {@code bmm}. Size-1
 * dims broadcast. Ellipses and three or more operands are refused with a clear error.
 */
final class Einsum {
    private Einsum() {
    }

    static Tensor einsum(String equation, Tensor... operands) {
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        if (eq.contains(".")) {
            throw new UnsupportedOperationException("einsum(): ellipsis ('...') is not supported by StepTorch's einsum; "
                    + "write the dims out");
        }
        String[] terms = lhs.split(",", -1);
        if (operands.length > terms.length) {
            throw new IllegalArgumentException("einsum(): more operands were provided than specified in the equation");
        }
        if (operands.length < terms.length) {
            throw new IllegalArgumentException("einsum(): fewer operands were provided than specified in the equation");
        }
        if (operands.length > 2) {
            throw new UnsupportedOperationException("einsum(): StepTorch's einsum takes one or two operands, got "
                    + operands.length + "; contract them pairwise");
        }
        for (int i = 0; i < eq.length(); i++) {
            char c = eq.charAt(i);
            boolean arrowChar = arrow >= 0 && (i == arrow || i == arrow + 1);
            if (!isLetter(c) && c != ',' && !arrowChar) {
                throw new IllegalArgumentException("einsum(): invalid subscript given at index " + i
                        + " in the equation string, subscripts must be in [a-zA-Z]");
            }
        }
        int[] sizes = new int[128];
        int[] count = new int[128];
        for (int k = 0; k < terms.length; k++) {
            if (terms[k].length() != operands[k].dim()) {
                throw new IllegalArgumentException("einsum(): the number of subscripts in the equation (" + terms[k].length()
                        + ") does not match the number of dimensions (" + operands[k].dim() + ") for operand " + k
                        + " and no ellipsis was given");
            }
            for (int i = 0; i < terms[k].length(); i++) {
                char c = terms[k].charAt(i);
                int size = operands[k].size(i);
                if (count[c] > 0 && sizes[c] != size && sizes[c] != 1 && size != 1) {
                    throw new IllegalArgumentException("einsum(): subscript " + c + " has size " + size + " for operand " + k
                            + " which does not broadcast with previously seen size " + sizes[c]);
                }
                sizes[c] = count[c] > 0 ? Math.max(sizes[c], size) : size;
                count[c]++;
            }
        }
        String output = arrow < 0 ? implicitOutput(count) : eq.substring(arrow + 2);
        for (int i = 0; i < output.length(); i++) {
            char c = output.charAt(i);
            if (output.indexOf(c) != i) {
                throw new IllegalArgumentException("einsum(): output subscript " + c + " appears more than once in the output");
            }
            if (count[c] == 0) {
                throw new IllegalArgumentException("einsum(): output subscript " + c
                        + " does not appear in the equation for any input operand");
            }
        }
        Term[] in = new Term[terms.length];
        for (int k = 0; k < terms.length; k++) {
            String others = output + (terms.length == 2 ? terms[1 - k] : "");
            in[k] = sumOut(diagonals(new Term(operands[k], terms[k])), others);
        }
        Term r = in.length == 1 ? in[0] : product(in[0], in[1], output, sizes);
        return r.permuteTo(output).t();
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Without "->", the output is every subscript that appears once, in alphabetical order (upper case first). */
    private static String implicitOutput(int[] count) {
        StringBuilder sb = new StringBuilder();
        for (char c = 'A'; c <= 'z'; c++) {
            if (isLetter(c) && count[c] == 1) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** An operand and the subscript of each of its dims. */
    private record Term(Tensor t, String subs) {
        Term permuteTo(String order) {
            int[] perm = new int[order.length()];
            boolean identity = true;
            for (int i = 0; i < perm.length; i++) {
                perm[i] = subs.indexOf(order.charAt(i));
                identity &= perm[i] == i;
            }
            return identity ? this : new Term(t.permute(perm), order);
        }
    }

    /** "ii->i": each repeated subscript becomes the diagonal of its two dims. */
    private static Term diagonals(Term term) {
        for (int p = 0; p < term.subs.length(); p++) {
            int q = term.subs.indexOf(term.subs.charAt(p), p + 1);
            if (q < 0) {
                continue;
            }
            if (term.t.size(p) != term.t.size(q)) {
                throw new IllegalArgumentException("einsum(): subscript " + term.subs.charAt(p) + " is repeated for operand "
                        + "but the sizes don't match, " + term.t.size(p) + " != " + term.t.size(q));
            }
            StringBuilder rest = new StringBuilder();
            int[] perm = new int[term.subs.length()];
            for (int i = 0, j = 0; i < term.subs.length(); i++) {
                if (i != p && i != q) {
                    rest.append(term.subs.charAt(i));
                    perm[j++] = i;
                }
            }
            perm[perm.length - 2] = p;
            perm[perm.length - 1] = q;
            Tensor t = term.t.permute(perm);
            int n = term.t.size(p);
            int[] flat = Arrays.copyOf(t.shape(), t.dim() - 1);
            flat[flat.length - 1] = n * n;
            Tensor diagonal = t.reshape(flat).slice(-1, 0, n * n, n + 1);
            return diagonals(new Term(diagonal, rest.toString() + term.subs.charAt(p)));
        }
        return term;
    }

    /** Sums the dims whose subscripts are not in {@code others}. */
    private static Term sumOut(Term term, String others) {
        List<Integer> dims = new ArrayList<>();
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < term.subs.length(); i++) {
            if (others.indexOf(term.subs.charAt(i)) < 0) {
                dims.add(i);
            } else {
                kept.append(term.subs.charAt(i));
            }
        }
        if (dims.isEmpty()) {
            return term;
        }
        return new Term(term.t.sum(dims.stream().mapToInt(Integer::intValue).toArray(), false), kept.toString());
    }

    /** Two operands as one bmm of [batch, left, contracted] by [batch, contracted, right]. */
    private static Term product(Term a, Term b, String output, int[] sizes) {
        StringBuilder batch = new StringBuilder(), left = new StringBuilder(), right = new StringBuilder(),
                contracted = new StringBuilder();
        for (char c : a.subs.toCharArray()) {
            boolean shared = b.subs.indexOf(c) >= 0;
            (shared ? (output.indexOf(c) >= 0 ? batch : contracted) : left).append(c);
        }
        for (char c : b.subs.toCharArray()) {
            if (a.subs.indexOf(c) < 0) {
                right.append(c);
            }
        }
        Tensor x = broadcast(a.permuteTo(batch + "" + left + contracted), sizes, batch + "" + contracted);
        Tensor y = broadcast(b.permuteTo(batch + "" + contracted + right), sizes, batch + "" + contracted);
        Tensor r = x.reshape(numel(batch, sizes), numel(left, sizes), numel(contracted, sizes))
                .bmm(y.reshape(numel(batch, sizes), numel(contracted, sizes), numel(right, sizes)));
        String subs = batch + "" + left + right;
        int[] shape = new int[subs.length()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = sizes[subs.charAt(i)];
        }
        return new Term(r.view(shape), subs);
    }

    /** Expands the size-1 dims of the shared subscripts to their full size. */
    private static Tensor broadcast(Term term, int[] sizes, String shared) {
        int[] shape = term.t.shape();
        for (int i = 0; i < shape.length; i++) {
            if (shared.indexOf(term.subs.charAt(i)) >= 0) {
                shape[i] = sizes[term.subs.charAt(i)];
            }
        }
        return Arrays.equals(shape, term.t.shape()) ? term.t : term.t.expand(shape);
    }

    private static int numel(CharSequence subs, int[] sizes) {
        int n = 1;
        for (int i = 0; i < subs.length(); i++) {
            n *= sizes[subs.charAt(i)];
        }
        return n;
    }
}
