package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** sum_to_size: the inverse of broadcasting, as autograd uses it. */
class SumToSizeTest {
    @Test
    void sumsTheLeadingDimsAndTheDimsThatWereOne() {
        Tensor g = Torch.arange(0, 24, 1, Options.dtype(DType.FLOAT64)).view(2, 3, 4);
        assertThat(g.sumToSize(3, 1).toDoubleArray()).containsExactly(60, 92, 124);
        assertThat(g.sumToSize(4).toDoubleArray()).containsExactly(60, 66, 72, 78);
        assertThat(g.sumToSize(1, 1, 1).toDoubleArray()).containsExactly(276);
        assertThat(g.sumToSize(2, 3, 4).equal(g)).isTrue();
    }

    @Test
    void refusesShapesThatDoNotBroadcastToIt() {
        Tensor g = Torch.zeros(2, 3);
        assertThatThrownBy(() -> g.sumToSize(2)).hasMessage("size [2] is not expandable to size [2, 3]");
        assertThatThrownBy(() -> g.sumToSize(1, 2, 3)).hasMessage("size [1, 2, 3] is not expandable to size [2, 3]");
    }
}
