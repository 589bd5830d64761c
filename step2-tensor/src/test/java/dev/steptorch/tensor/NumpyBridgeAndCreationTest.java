package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.ndarray.NDArray;
import dev.steptorch.tensor.cpu.CpuStorage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The NumPy bridge and the factories. NDArray keeps its elements in the same four kinds of Java
 * arrays as a CPU storage, so every dtype shares memory both ways; nothing here is a copy.
 */
class NumpyBridgeAndCreationTest {

    // ---------------------------------------------------------------- the bridge

    /** The course: {@code a = torch.ones(5); b = a.numpy(); a.add_(1)} changes b. */
    @Test
    void numpyOfATensorSeesInPlaceAdds() {
        Tensor a = Torch.ones(5);
        NDArray b = a.numpy();
        a.add_(1);
        assertThat(b.toDoubleArray()).containsExactly(2, 2, 2, 2, 2);
        assertThat(b.data()).isSameAs(((CpuStorage) a.storage()).array());
    }

    /** The course: {@code a = np.ones(5); b = torch.from_numpy(a); np.add(a, 1, out=a)} changes b. */
    @Test
    void fromNumpySeesWritesToTheArray() {
        double[] data = {1, 1, 1, 1, 1};
        NDArray a = NDArray.wrap(data, 5);
        Tensor b = Torch.fromNumpy(a);
        assertThat(b.dtype()).isEqualTo(DType.FLOAT64);
        a.add_(1.0);
        assertThat(b.toDoubleArray()).containsExactly(2, 2, 2, 2, 2);
        b.mul_(3.0);
        assertThat(data).containsExactly(6, 6, 6, 6, 6);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeSharesBothWays(DType dtype) {
        Tensor t = Torch.tensor(new double[][] {{0, 1, 0}, {1, 0, 1}}, Options.dtype(dtype));
        NDArray n = t.numpy();
        assertThat(n.shape()).containsExactly(2, 3);
        assertThat(n.dtype().toString()).isEqualTo(dtype.toString().replace("torch.", ""));
        n.itemset(1, 0, 0);
        assertThat(t.toDoubleArray()[0]).as("write through numpy()").isEqualTo(1);
        t.select(1, 1).fill_(1);
        assertThat(n.item(1, 1)).as("write through the tensor").isEqualTo(1);

        Tensor back = Torch.fromNumpy(n);
        assertThat(back.dtype()).isEqualTo(dtype);
        assertThat(back.storage()).isNotSameAs(t.storage());
        back.select(1, 2).fill_(1);
        assertThat(t.toDoubleArray()[2]).as("write through fromNumpy(numpy())").isEqualTo(1);
    }

    /** Strides and offset cross the bridge unchanged, so a transposed slice stays a view. */
    @Test
    void stridedViewsKeepTheirLayout() {
        Tensor x = Torch.arange(0, 12, 1, Options.dtype(DType.FLOAT64)).view(3, 4);
        Tensor v = x.narrow(1, 1, 2).t();
        NDArray n = v.numpy();
        assertThat(n.shape()).containsExactly(2, 3);
        assertThat(n.strides()).containsExactly(1, 4);
        assertThat(n.offset()).isEqualTo(1);
        assertThat(n.toDoubleArray()).containsExactly(1, 5, 9, 2, 6, 10);
        n.itemset(-1, 1, 2);
        assertThat(x.toDoubleArray()[10]).isEqualTo(-1);
        Tensor w = Torch.fromNumpy(n);
        assertThat(w.strides()).containsExactly(1, 4);
        assertThat(w.storageOffset()).isEqualTo(1);
    }

    @Test
    void negativeStridesAreRefused() {
        double[] data = {1, 2, 3};
        NDArray reversed = NDArray.wrap(data, new int[] {3}, new int[] {-1}, 2);
        assertThatThrownBy(() -> Torch.fromNumpy(reversed))
                .hasMessageStartingWith("At least one stride in the given numpy array is negative");
    }

    // ---------------------------------------------------------------- random factories

    @Test
    void manualSeedMakesRandAndRandnReproducible() {
        Torch.manualSeed(1234);
        float[] r1 = Torch.rand(3, 4).toFloatArray();
        double[] n1 = Torch.randn(Options.dtype(DType.FLOAT64), 50).toDoubleArray();
        Torch.manualSeed(1234);
        float[] r2 = Torch.rand(3, 4).toFloatArray();
        double[] n2 = Torch.randn(Options.dtype(DType.FLOAT64), 50).toDoubleArray();
        assertThat(r2).isEqualTo(r1);
        assertThat(n2).isEqualTo(n1);
        Torch.manualSeed(1235);
        assertThat(Torch.rand(3, 4).toFloatArray()).isNotEqualTo(r1);
        for (float u : r1) {
            assertThat(u).isGreaterThanOrEqualTo(0f).isLessThan(1f);
        }
        double mean = Arrays.stream(n1).sum() / n1.length;
        assertThat(mean).as("mean of 50 standard normals").isBetween(-1.0, 1.0);
        assertThat(Arrays.stream(n1).distinct().count()).isEqualTo(50);
    }

    @Test
    void likeFactoriesKeepShapeAndTakeDtype() {
        Tensor ints = Torch.tensor(new long[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor z = Torch.zerosLike(ints);
        assertThat(z.dtype()).isEqualTo(DType.INT64);
        assertThat(z.shape()).containsExactly(2, 3);
        assertThat(z.toLongArray()).containsOnly(0L);
        assertThat(Torch.zerosLike(ints, DType.FLOAT64).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(Torch.onesLike(ints).toLongArray()).containsOnly(1L);
        Tensor r = Torch.randnLike(ints, DType.FLOAT32);
        assertThat(r.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(r.shape()).containsExactly(2, 3);
        assertThat(r.storage()).isNotSameAs(ints.storage());
        assertThatThrownBy(() -> Torch.randnLike(ints)).hasMessageContaining("floating-point");
        Tensor f = Torch.randLike(Torch.zeros(Options.dtype(DType.FLOAT64), 4));
        assertThat(f.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(Torch.emptyLike(f).shape()).containsExactly(4);
    }

    // ---------------------------------------------------------------- constant factories

    @ParameterizedTest
    @EnumSource(DType.class)
    void constantFactoriesHonourOptions(DType dtype) {
        Options o = Options.dtype(dtype).withDevice(Device.CPU);
        Tensor z = Torch.zeros(o, 2, 3);
        Tensor one = Torch.ones(o, 4);
        Tensor full = Torch.full(o, 7, 2, 2);
        Tensor e = Torch.empty(o, 0, 5);
        for (Tensor t : new Tensor[] {z, one, full, e}) {
            assertThat(t.dtype()).isEqualTo(dtype);
            assertThat(t.device()).isEqualTo(Device.CPU);
            assertThat(t.isContiguous()).isTrue();
        }
        assertThat(z.shape()).containsExactly(2, 3);
        assertThat(z.toDoubleArray()).containsOnly(0.0).hasSize(6);
        assertThat(one.toDoubleArray()).containsOnly(1.0).hasSize(4);
        assertThat(full.toDoubleArray()).containsOnly(dtype == DType.BOOL ? 1.0 : 7.0).hasSize(4);
        assertThat(e.shape()).containsExactly(0, 5);
        assertThat(e.numel()).isZero();
    }

    @Test
    void defaultsAreFloat32OnCpu() {
        Tensor t = Torch.zeros(3);
        assertThat(t.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(t.device()).isEqualTo(Device.CPU);
        assertThat(Torch.zeros().dim()).isZero();
        assertThat(Torch.zeros().numel()).isEqualTo(1);
        assertThat(t.size()).hasToString("torch.Size([3])");
        assertThatThrownBy(() -> Torch.zeros(2, -1)).hasMessageContaining("negative dimension -1");
    }

    @Test
    void arangeInfersDtypeLikePyTorch() {
        Tensor a = Torch.arange(5);
        assertThat(a.dtype()).isEqualTo(DType.INT64);
        assertThat(a.toLongArray()).containsExactly(0, 1, 2, 3, 4);
        Tensor q = Torch.arange(0, 1, 0.25, Options.DEFAULT);
        assertThat(q.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(q.toDoubleArray()).containsExactly(0, 0.25, 0.5, 0.75);
        Tensor down = Torch.arange(5, 0, -2, Options.DEFAULT);
        assertThat(down.dtype()).isEqualTo(DType.INT64);
        assertThat(down.toLongArray()).containsExactly(5, 3, 1);
        Tensor d = Torch.arange(1, 4, 1, Options.dtype(DType.FLOAT64));
        assertThat(d.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(d.toDoubleArray()).containsExactly(1, 2, 3);
        assertThat(Torch.arange(0).numel()).isZero();
        assertThatThrownBy(() -> Torch.arange(0, 5, 0, Options.DEFAULT)).hasMessageContaining("step must be nonzero");
        assertThatThrownBy(() -> Torch.arange(5, 0, 1, Options.DEFAULT))
                .hasMessageContaining("upper bound and larger bound inconsistent with step sign");
    }

    // ---------------------------------------------------------------- tensor(Object)

    @Test
    void tensorFromNestedArraysInfersShapeAndDtype() {
        Tensor f = Torch.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f.shape()).containsExactly(2, 3);
        assertThat(f.toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6);

        Tensor l = Torch.tensor(new long[][][] {{{1}, {2}}, {{3}, {4}}});
        assertThat(l.dtype()).isEqualTo(DType.INT64);
        assertThat(l.shape()).containsExactly(2, 2, 1);
        assertThat(l.toLongArray()).containsExactly(1, 2, 3, 4);

        assertThat(Torch.tensor(new int[] {7, 8}).dtype()).isEqualTo(DType.INT64);
        assertThat(Torch.tensor(new float[] {0.5f}).dtype()).isEqualTo(DType.FLOAT32);
        Tensor b = Torch.tensor(new boolean[][] {{true}, {false}});
        assertThat(b.dtype()).isEqualTo(DType.BOOL);
        assertThat(b.toBooleanArray()).containsExactly(true, false);

        Tensor s = Torch.tensor(2.5);
        assertThat(s.dim()).isZero();
        assertThat(s.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(s.item()).isEqualTo(2.5);
        assertThat(Torch.tensor(3L).dtype()).isEqualTo(DType.INT64);
        assertThat(Torch.tensor(true).dtype()).isEqualTo(DType.BOOL);

        Tensor big = Torch.tensor(new long[] {(1L << 53) + 1});
        assertThat(big.itemLong()).as("int64 kept exactly").isEqualTo((1L << 53) + 1);
        Tensor asDouble = Torch.tensor(new double[] {0.1}, Options.dtype(DType.FLOAT64));
        assertThat(asDouble.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(asDouble.item()).isEqualTo(0.1);
        assertThat(Torch.tensor(new double[0]).shape()).containsExactly(0);
        assertThat(Torch.tensor(new double[2][0]).shape()).containsExactly(2, 0);
    }

    @Test
    void tensorCopiesItsInput() {
        double[] data = {1, 2};
        Tensor t = Torch.tensor(data, Options.dtype(DType.FLOAT64));
        data[0] = 9;
        assertThat(t.toDoubleArray()).containsExactly(1, 2);
    }

    @Test
    void raggedAndUnsupportedDataAreRefused() {
        assertThatThrownBy(() -> Torch.tensor(new long[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected sequence of length 2 at dim 1 (got 1)");
        assertThatThrownBy(() -> Torch.tensor(new double[][][] {{{1}}, {{2}, {3}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected sequence of length 1 at dim 1 (got 2)");
        assertThatThrownBy(() -> Torch.tensor("abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not infer dtype of String");
        assertThatThrownBy(() -> Torch.tensor(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
