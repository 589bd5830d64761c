package dev.steptorch.ndarray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Bad shapes fail the way NumPy fails: an IllegalArgumentException whose message names the
 * operation and both shapes, never an ArrayIndexOutOfBoundsException from deep inside a loop.
 */
class ErrorMessageProperties {

    @Provide
    Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(0, 5).array(int[].class).ofMinSize(0).ofMaxSize(3);
    }

    private static boolean broadcasts(int[] a, int[] b) {
        for (int i = 1; i <= Math.min(a.length, b.length); i++) {
            int x = a[a.length - i];
            int y = b[b.length - i];
            if (x != y && x != 1 && y != 1) return false;
        }
        return true;
    }

    /** Runs {@code op}; if it throws, the exception must be a clear IllegalArgumentException. */
    private static void failsClearly(Runnable op, String name, int[] a, int[] b) {
        assertThatThrownBy(op::run)
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(name + ":")
                .hasMessageContaining(Shapes.compact(a))
                .hasMessageContaining(Shapes.compact(b));
    }

    @Property(tries = 200)
    void incompatibleBroadcastsNameTheOpAndBothShapes(@ForAll("shapes") int[] a, @ForAll("shapes") int[] b) {
        Assume.that(!broadcasts(a, b));
        NDArray x = NumPy.zeros(a);
        NDArray y = NumPy.ones(b);
        failsClearly(() -> x.add(y), "add", a, b);
        failsClearly(() -> x.mul(y), "multiply", a, b);
        failsClearly(() -> NumPy.maximum(x, y), "maximum", a, b);
        failsClearly(() -> x.lt(y), "less", a, b);
        failsClearly(() -> x.sub_(y), "sub_", a, b);
        failsClearly(() -> x.maskedFill_(y.lt(0), 0), "maskedFill_", b, a);
    }

    @Property(tries = 200)
    void misalignedProductsNameTheOpAndBothShapes(@ForAll("shapes") int[] a, @ForAll("shapes") int[] b) {
        Assume.that(a.length >= 1 && b.length >= 1);
        int ka = a[a.length - 1];
        int kb = b.length == 1 ? b[0] : b[b.length - 2];
        Assume.that(ka != kb);
        failsClearly(() -> NumPy.zeros(a).dot(NumPy.zeros(b)), "dot", a, b);
        failsClearly(() -> NumPy.zeros(a).matmul(NumPy.zeros(b)), "matmul", a, b);
    }

    @Property(tries = 200)
    void impossibleReshapesNameBothShapes(@ForAll("shapes") int[] a, @ForAll("shapes") int[] b) {
        Assume.that(Shapes.size(a) != Shapes.size(b));
        failsClearly(() -> NumPy.zeros(a).reshape(b), "reshape", a, b);
        failsClearly(() -> NumPy.zeros(a).T().reshape(b), "reshape", reversed(a), b);
    }

    @Property(tries = 200)
    void badIndicesAreIndexErrorsWithNumpysMessage(@ForAll("shapes") int[] a, @ForAll int i) {
        Assume.that(a.length >= 1 && (i >= a[0] || i < -a[0]));
        assertThatThrownBy(() -> NumPy.zeros(a).get(Index.at(i)))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .isNotInstanceOf(ArrayIndexOutOfBoundsException.class)
                .hasMessage("get: index " + i + " is out of bounds for axis 0 with size " + a[0]);
    }

    private static int[] reversed(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[a.length - 1 - i];
        return r;
    }

    @Test
    void theCoursesMistakeReadsLikeNumpy() {
        assertThatThrownBy(() -> NumPy.zeros(64, 1000).dot(NumPy.zeros(100, 10)))
                .hasMessage("dot: shapes (64,1000) and (100,10) not aligned: 1000 (dim 1) != 100 (dim 0)");
        assertThatThrownBy(() -> NumPy.zeros(2, 3).add(NumPy.zeros(4)))
                .hasMessage("add: operands could not be broadcast together with shapes (2,3) (4,)");
        assertThatThrownBy(() -> NumPy.zeros(2, 3).reshape(4, 2))
                .hasMessage("reshape: cannot reshape array of size 6 and shape (2,3) into shape (4,2)");
        assertThatThrownBy(() -> NumPy.zeros(4, 6).maskedFill_(NumPy.zeros(3).lt(1), 0))
                .hasMessage("maskedFill_: mask of shape (3,) does not match array of shape (4,6)");
        assertThatThrownBy(() -> NumPy.zeros(4, 6).maskedFill_(NumPy.zeros(4, 6), 0))
                .hasMessageStartingWith("maskedFill_: mask must have dtype bool, got float64");
        assertThatThrownBy(() -> NumPy.zeros(3).sum(1))
                .hasMessage("sum: axis 1 is out of bounds for array of dimension 1");
        assertThatThrownBy(() -> NumPy.zeros(0).max())
                .hasMessage("max: zero-size array to reduction operation maximum which has no identity");
        assertThat(NumPy.zeros(2, 3).reshape(-1, 2).shape()).containsExactly(3, 2);
    }
}
