package dev.steptorch.ndarray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bridge hook that step 2's {@code numpy()}/{@code fromNumpy} rely on: shared memory, checked bounds. */
class BridgeContractTest {

    @Test
    void wrapSharesMemoryBothWays() {
        double[] data = {1, 2, 3, 4, 5, 6};
        NDArray a = NDArray.wrap(data, new int[] {2, 3}, new int[] {3, 1}, 0);
        assertThat(a.data()).isSameAs(data);
        a.add_(1);                        // np.add(a, 1, out=a)
        assertThat(data).containsExactly(2, 3, 4, 5, 6, 7);
        data[0] = 100;                    // a change to the storage shows in the array
        assertThat(a.item(0, 0)).isEqualTo(100);
    }

    @Test
    void theHookDescribesTheLayoutInElements() {
        NDArray a = NumPy.zeros(4, 6);
        NDArray column = a.get(Index.all(), Index.at(1));
        assertThat(column.data()).isSameAs(a.data());
        assertThat(column.shape()).containsExactly(4);
        assertThat(column.strides()).containsExactly(6);
        assertThat(column.offset()).isEqualTo(1);
        assertThat(column.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(a.T().strides()).containsExactly(1, 6);
        NDArray rewrapped = NDArray.wrap(column.data(), column.shape(), column.strides(), column.offset());
        rewrapped.fill_(7);
        assertThat(a.item(3, 1)).isEqualTo(7);
        assertThat(a.sum().item()).isEqualTo(28);
    }

    @Test
    void eachDtypeWrapsItsOwnPrimitiveArray() {
        assertThat(NDArray.wrap(new float[] {1, 2}, 2).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(NDArray.wrap(new boolean[] {true}, 1).dtype()).isEqualTo(DType.BOOL);
        assertThat(NDArray.wrap(new long[] {1, 2, 3}, 3).dtype()).isEqualTo(DType.INT64);
        float[] f = {1.5f, 2.5f};
        NDArray a = NDArray.wrap(f, 2);
        a.mul_(2);
        assertThat(f).containsExactly(3f, 5f);
        assertThat(a.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(a.add(1).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(NumPy.zeros(3).lt(1).data()).isInstanceOf(boolean[].class);
    }

    @Test
    void wrapRejectsViewsThatReachOutsideTheData() {
        double[] data = new double[10];
        assertThatThrownBy(() -> NDArray.wrap(data, new int[] {3, 4}, new int[] {4, 1}, 0))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("wrap: a view with shape (3,4), strides (4,1) and offset 0 reaches index 11, outside data of length 10");
        assertThatThrownBy(() -> NDArray.wrap(data, new int[] {2}, new int[] {-3}, 2))
                .hasMessageContaining("reaches index -1");
        assertThatThrownBy(() -> NDArray.wrap(data, new int[] {2}, new int[] {1}, 9))
                .hasMessageContaining("reaches index 10");
        assertThatThrownBy(() -> NDArray.wrap(data, new int[] {2, 2}, new int[] {1}, 0))
                .hasMessageContaining("must have the same length");
        assertThatThrownBy(() -> NDArray.wrap(new int[3], new int[] {3}, new int[] {1}, 0))
                .hasMessage("wrap: data must be a double[], float[], long[] or boolean[], got int[]");
        assertThatThrownBy(() -> NDArray.wrap(data, 3, 4))
                .hasMessage("wrap: data of length 10 does not fit shape (3,4) (size 12)");
        // the largest legal views are fine, including stride 0 and an empty view
        assertThat(NDArray.wrap(data, new int[] {5, 2}, new int[] {2, 1}, 0).size()).isEqualTo(10);
        assertThat(NDArray.wrap(data, new int[] {3}, new int[] {0}, 9).sum().item()).isZero();
        assertThat(NDArray.wrap(data, new int[] {0, 4}, new int[] {4, 1}, 10).size()).isZero();
    }

    @Test
    void negativeStridesWalkBackwards() {
        double[] data = {1, 2, 3};
        NDArray reversed = NDArray.wrap(data, new int[] {3}, new int[] {-1}, 2);
        assertThat(reversed.toDoubleArray()).containsExactly(3, 2, 1);
        assertThat(reversed.dot(NumPy.of(1, 0, 0)).item()).isEqualTo(3);
        assertThat(reversed.reshape(3, 1).item(0, 0)).isEqualTo(3);
    }
}
