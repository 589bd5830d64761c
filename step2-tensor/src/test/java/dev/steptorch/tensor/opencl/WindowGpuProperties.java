package dev.steptorch.tensor.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GpuRequired;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.tensor.WindowCase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The OpenCL window kernels give the CPU kernels' results: unfold and max pooling exactly (they
 * copy and compare), fold and the pooling backward exactly too, since they add the same numbers in
 * the same order, rounding each step to the dtype as the CPU does; the correlation up to the order
 * of its sums.
 */
@AddLifecycleHook(GpuRequired.class)
class WindowGpuProperties {
    @Provide
    Arbitrary<DType> floats() {
        return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
    }

    private static void assertSame(Tensor cpu, Tensor gpu, String what) {
        assertThat(gpu.device()).isEqualTo(Device.GPU);
        assertThat(gpu.dtype()).isEqualTo(cpu.dtype());
        assertThat(gpu.shape()).containsExactly(cpu.shape());
        assertThat(gpu.cpu().toDoubleArray()).as(what).isEqualTo(cpu.toDoubleArray());
    }

    @Property(tries = 40)
    void unfoldAndFoldMatchTheCpu(@ForAll("floats") DType dtype, @ForAll long seed) {
        WindowCase k = WindowCase.forColumns(seed, dtype);
        Tensor cols = Torch.unfold(k.x(), k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
        Tensor gpuCols = Torch.unfold(k.x().to(Device.GPU), k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
        assertSame(cols, gpuCols, "unfold " + k);

        Torch.manualSeed(seed);
        Tensor g = Torch.randn(Options.dtype(dtype), cols.shape());
        int[] s = k.x().shape();
        Tensor folded = Torch.fold(g, s, k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
        Tensor gpuFolded = Torch.fold(g.to(Device.GPU), s, k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
        assertSame(folded, gpuFolded, "fold " + k);
    }

    /**
     * The stride-1 correlation and its weight and input gradients: the device computes them with
     * columns and one product, the CPU (in float32) without, so the sums are the same up to their order.
     */
    @Property(tries = 20)
    void correlationAndItsGradientsMatchTheCpu(@ForAll("floats") DType dtype, @ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        int kh = 1 + r.nextInt(5), kw = 1 + r.nextInt(5), n = 1 + r.nextInt(3), c = 1 + r.nextInt(3), o = 1 + r.nextInt(8);
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(Options.dtype(dtype), n, c, kh + r.nextInt(20), kw + r.nextInt(20));
        Tensor w = Torch.randn(Options.dtype(dtype), o, c, kh, kw);
        Tensor y = Torch.correlate2d(x, w), gpuY = Torch.correlate2d(x.to(Device.GPU), w.to(Device.GPU));
        assertClose(y, gpuY, "correlate2d " + x.size() + " with " + w.size());
        Tensor g = Torch.randn(Options.dtype(dtype), y.shape());
        assertClose(Torch.correlate2dWeight(x, g, kh, kw), Torch.correlate2dWeight(x.to(Device.GPU), g.to(Device.GPU), kh, kw),
                "correlate2dWeight " + x.size() + ", kernel " + kh + " x " + kw);
        assertClose(Torch.correlate2dInput(w, g), Torch.correlate2dInput(w.to(Device.GPU), g.to(Device.GPU)),
                "correlate2dInput " + w.size() + ", gradient " + g.size());
    }

    private static void assertClose(Tensor cpu, Tensor gpu, String what) {
        assertThat(gpu.device()).isEqualTo(Device.GPU);
        assertThat(gpu.shape()).containsExactly(cpu.shape());
        double[] a = cpu.toDoubleArray(), b = gpu.cpu().toDoubleArray();
        double tolerance = cpu.dtype() == DType.FLOAT32 ? 1e-3 : 1e-10;
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).as("%s, element %d", what, i).isCloseTo(a[i], org.assertj.core.data.Offset.offset(tolerance * (1 + Math.abs(a[i]))));
        }
    }

    @Property(tries = 40)
    void maxPoolingAndItsBackwardMatchTheCpu(@ForAll("floats") DType dtype, @ForAll long seed) {
        WindowCase k = WindowCase.forPooling(seed, dtype);
        Tensor.ValuesIndices cpu = Torch.maxPool2dWithIndices(k.x(), k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
        Tensor.ValuesIndices gpu = Torch.maxPool2dWithIndices(k.x().to(Device.GPU), k.kh(), k.kw(), k.sh(), k.sw(),
                k.ph(), k.pw());
        assertSame(cpu.values(), gpu.values(), "max_pool2d values " + k);
        assertThat(gpu.indices().dtype()).isEqualTo(DType.INT64);
        assertThat(gpu.indices().cpu().toLongArray()).as("max_pool2d indices " + k)
                .isEqualTo(cpu.indices().toLongArray());

        Torch.manualSeed(seed);
        Tensor g = Torch.randn(Options.dtype(dtype), cpu.values().shape());
        int[] s = k.x().shape();
        assertSame(Torch.maxPool2dBackward(g, cpu.indices(), s),
                Torch.maxPool2dBackward(g.to(Device.GPU), gpu.indices(), s), "max_pool2d backward " + k);
    }
}
