package dev.steptorch.tensor.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.BinaryOp;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Dispatcher;
import dev.steptorch.tensor.GpuRequired;
import dev.steptorch.tensor.OpCatalog;
import dev.steptorch.tensor.ReduceOp;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.TensorOps;
import dev.steptorch.tensor.UnaryOp;
import dev.steptorch.tensor.cpu.CpuStorage;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Every op on both devices: the GPU result equals the CPU result, exactly for int64 and bool and
 * for float ops that round once (+ - * / sqrt, comparisons, copies), within a few ulps for
 * transcendental functions, and within a few ulps times the reduction length for sums and mm.
 * Inputs are drawn on the CPU and moved to the GPU, broadcast pairs and transposed
 * (non-contiguous) inputs included.
 */
@AddLifecycleHook(GpuRequired.class)
class GpuMatchesCpuProperties {
    private final TensorOps cpu = Dispatcher.belowAutograd(Device.CPU);
    private final TensorOps gpu = Dispatcher.belowAutograd(Device.GPU);

    @Provide
    Arbitrary<DType> dtypes() {
        return Arbitraries.of(DType.values());
    }

    @Provide
    Arbitrary<BinaryOp> binaryOps() {
        return Arbitraries.of(BinaryOp.values());
    }

    @Property(tries = 60)
    void binaryOpsWithBroadcastingAndPromotion(@ForAll("binaryOps") BinaryOp op, @ForAll("dtypes") DType da,
                                               @ForAll("dtypes") DType db, @ForAll long seed) {
        Random r = new Random(seed);
        if ((op == BinaryOp.SUB || op == BinaryOp.THRESHOLD_BACKWARD) && da == DType.BOOL && db == DType.BOOL) {
            return; // refused above the kernels on both devices alike
        }
        int[] shape = randomShape(r);
        int[] other = broadcastPartner(r, shape);
        Tensor a = random(r, shape, da);
        Tensor b = random(r, other, db);
        if (op == BinaryOp.POW && !da.isFloatingPoint() && !db.isFloatingPoint()) {
            b = cpu.unary(UnaryOp.ABS, cpu.to(b, DType.INT64), null); // negative integer powers are not interesting here
            b = cpu.binary(BinaryOp.MINIMUM, b, scalarLike(3, DType.INT64), null);
        }
        Tensor onCpu = cpu.binary(op, a, b, null);
        Tensor onGpu = gpu.binary(op, gpu.toDevice(a), gpu.toDevice(b), null);
        int ulps = OpCatalog.of(op).ulps();
        assertMatches(onCpu, onGpu, ulps, op + " of " + da + " " + Arrays.toString(shape) + " and " + db + " "
                + Arrays.toString(other));
    }

    @Provide
    Arbitrary<OpCatalog.Unary> unaryOps() {
        return Arbitraries.of(OpCatalog.UNARY);
    }

    @Property(tries = 80)
    void unaryOpsOfTheCatalogOnTransposedInput(@ForAll("unaryOps") OpCatalog.Unary row, @ForAll("dtypes") DType dtype,
                                               @ForAll long seed) {
        if (!row.dtypes().contains(dtype)) {
            return;
        }
        Random r = new Random(seed);
        int[] shape = {1 + r.nextInt(5), 1 + r.nextInt(6)};
        Tensor base = OpCatalog.draw(row.domain(), r, shape, dtype);
        Tensor a = cpu.transpose(base, 0, 1);
        Tensor g = gpu.transpose(gpu.toDevice(base), 0, 1);
        assertMatches(cpu.unary(row.op(), a, null), gpu.unary(row.op(), g, null), row.ulps(), row + " of " + dtype);
    }

    @Provide
    Arbitrary<OpCatalog.Other> otherOps() {
        return Arbitraries.of(OpCatalog.OTHER);
    }

    /** Statistics, indexing, products and the composites of the catalog, on float32. */
    @Property(tries = 80)
    void otherOpsOfTheCatalog(@ForAll("otherOps") OpCatalog.Other row, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor[] onCpu = new Tensor[row.shapes().length];
        Tensor[] onGpu = new Tensor[onCpu.length];
        for (int i = 0; i < onCpu.length; i++) {
            onCpu[i] = OpCatalog.draw(row.domain(), r, row.shapes()[i], DType.FLOAT32);
            onGpu[i] = gpu.toDevice(onCpu[i]);
        }
        Tensor result = row.op().apply(onGpu);
        assertThat(result.device()).isEqualTo(Device.GPU);
        assertMatches(row.op().apply(onCpu), result, 64, row.name());
    }

    @Property(tries = 40)
    void clampAndConversionsOnTransposedInput(@ForAll("dtypes") DType dtype, @ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = {1 + r.nextInt(5), 1 + r.nextInt(6)};
        Tensor base = random(r, shape, dtype);
        Tensor a = cpu.transpose(base, 0, 1);
        Tensor g = gpu.transpose(gpu.toDevice(base), 0, 1);
        assertMatches(cpu.clamp(a, -0.5, 1.0, null), gpu.clamp(g, -0.5, 1.0, null), 0, "clamp");
        assertMatches(cpu.clamp(a, null, 0.0, null), gpu.clamp(g, null, 0.0, null), 0, "clamp max");
        for (DType to : DType.values()) {
            assertMatches(cpu.to(a, to), gpu.to(g, to), 0, "to " + to);
        }
        assertMatches(cpu.contiguous(a), gpu.contiguous(g), 0, "contiguous");
    }

    @Property(tries = 40)
    void whereMaskedFillAndCat(@ForAll("dtypes") DType dtype, @ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = randomShape(r);
        Tensor a = random(r, shape, dtype);
        Tensor b = random(r, broadcastPartner(r, shape), dtype);
        Tensor mask = random(r, broadcastPartner(r, shape), DType.BOOL);
        assertMatches(cpu.where(mask, a, b), gpu.where(gpu.toDevice(mask), gpu.toDevice(a), gpu.toDevice(b)), 0, "where");
        if (Arrays.equals(cpu.where(mask, a, b).shape(), shape)) {
            Tensor value = scalarLike(1, dtype);
            Tensor onCpu = cpu.maskedFill(cpu.clone(a), mask, value, null);
            Tensor onGpu = gpu.maskedFill(gpu.toDevice(a), gpu.toDevice(mask), gpu.toDevice(value), null);
            assertMatches(onCpu, onGpu, 0, "masked_fill");
        }
        if (shape.length > 0) {
            int dim = r.nextInt(shape.length);
            Tensor c = random(r, shape, dtype);
            assertMatches(cpu.cat(new Tensor[] {a, c}, dim), gpu.cat(new Tensor[] {gpu.toDevice(a), gpu.toDevice(c)}, dim),
                    0, "cat");
        }
    }

    @Property(tries = 40)
    void reductions(@ForAll("dtypes") DType dtype, @ForAll long seed, @ForAll boolean long1d) {
        Random r = new Random(seed);
        int[] shape = long1d ? new int[] {4096 + r.nextInt(5000)} : new int[] {1 + r.nextInt(4), 1 + r.nextInt(5), 1 + r.nextInt(4)};
        Tensor a = random(r, shape, dtype);
        Tensor g = gpu.toDevice(a);
        int n = a.numel();
        int dim = r.nextInt(shape.length);
        boolean keep = r.nextBoolean();
        for (OpCatalog.Reduce row : OpCatalog.REDUCE) {
            if (row.op() == ReduceOp.MEAN && !dtype.isFloatingPoint()) {
                continue;
            }
            int ulps = row.op() == ReduceOp.SUM || row.op() == ReduceOp.MEAN || row.op() == ReduceOp.PROD ? 4 * n : 0;
            assertMatches(cpu.reduce(row.op(), a, new int[0], false, null), gpu.reduce(row.op(), g, new int[0], false, null),
                    ulps, row + " of all");
            assertMatches(cpu.reduce(row.op(), a, new int[] {dim}, keep, null),
                    gpu.reduce(row.op(), g, new int[] {dim}, keep, null), ulps, row + " over dim " + dim);
        }
        assertMatches(cpu.argmax(a), gpu.argmax(g), 0, "argmax");
        Tensor[] mc = cpu.max(a, dim, keep);
        Tensor[] mg = gpu.max(g, dim, keep);
        assertMatches(mc[0], mg[0], 0, "max dim values");
        assertMatches(mc[1], mg[1], 0, "max dim indices");
    }

    @Property(tries = 30)
    void mmOfAnyStrides(@ForAll long seed, @ForAll boolean transposeA, @ForAll boolean transposeB, @ForAll boolean float64) {
        Random r = new Random(seed);
        int m = 1 + r.nextInt(40);
        int k = 1 + r.nextInt(40);
        int n = 1 + r.nextInt(50);
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor a = transposeA ? cpu.transpose(random(r, new int[] {k, m}, dtype), 0, 1) : random(r, new int[] {m, k}, dtype);
        Tensor b = transposeB ? cpu.transpose(random(r, new int[] {n, k}, dtype), 0, 1) : random(r, new int[] {k, n}, dtype);
        Tensor ga = transposeA ? gpu.transpose(gpu.toDevice(cpu.transpose(a, 0, 1)), 0, 1) : gpu.toDevice(a);
        Tensor gb = transposeB ? gpu.transpose(gpu.toDevice(cpu.transpose(b, 0, 1)), 0, 1) : gpu.toDevice(b);
        assertMatches(cpu.mm(a, b, null), gpu.mm(ga, gb, null), 4 * k, "mm " + m + "x" + k + "x" + n);
        // out=: a device tensor laid out as a fresh one is written where it lies, whatever it held
        Tensor out = gpu.toDevice(random(r, new int[] {m, n}, dtype));
        assertMatches(cpu.mm(a, b, null), gpu.mm(ga, gb, out), 4 * k, "mm into out= " + m + "x" + k + "x" + n);
        assertMatches(cpu.mm(a, b, null), out, 4 * k, "out= after mm " + m + "x" + k + "x" + n);
    }

    @Property(tries = 30)
    void inPlaceOpsAndCopiesBetweenDevices(@ForAll("dtypes") DType dtype, @ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = randomShape(r);
        Tensor a = random(r, shape, dtype);
        Tensor g = gpu.toDevice(a);
        Tensor src = random(r, broadcastPartner(r, shape), DType.FLOAT64);
        cpu.copy_(a, src);
        gpu.copy_(g, src); // from the CPU: an upload, then the conversion on the device
        assertMatches(a, g, 0, "copy_ from the cpu");
        int before = g.storage().version();
        if (dtype != DType.BOOL) {
            gpu.binary(BinaryOp.ADD, g, g, g);
            cpu.binary(BinaryOp.ADD, a, a, a);
            assertThat(g.storage().version()).isGreaterThan(before);
            assertMatches(a, g, 0, "add_");
        }
        cpu.fill_(a, 1);
        gpu.fill_(g, 1);
        assertMatches(a, g, 0, "fill_");
        Tensor back = cpu.toDevice(g);
        assertThat(back.device()).isEqualTo(Device.CPU);
        assertMatches(a, back, 0, "to cpu");
    }

    private static int[] randomShape(Random r) {
        int[] shape = new int[r.nextInt(4)];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = 1 + r.nextInt(4);
        }
        return shape;
    }

    /** A shape that broadcasts with shape: some dims set to 1, sometimes fewer leading dims. */
    private static int[] broadcastPartner(Random r, int[] shape) {
        int drop = shape.length == 0 ? 0 : r.nextInt(shape.length + 1) / 2;
        int[] other = Arrays.copyOfRange(shape, drop, shape.length);
        for (int d = 0; d < other.length; d++) {
            if (r.nextInt(3) == 0) {
                other[d] = 1;
            }
        }
        return other;
    }

    /** A CPU tensor of small values (exact in every dtype), a few zeros, and no NaN. */
    private Tensor random(Random r, int[] shape, DType dtype) {
        Tensor t = cpu.empty(shape, dtype);
        Object array = ((CpuStorage) t.storage()).array();
        for (int i = 0; i < t.numel(); i++) {
            int v = r.nextInt(9) - 4;
            double x = v + (r.nextBoolean() ? r.nextInt(8) / 8.0 : 0);
            if (array instanceof float[]) {
                ((float[]) array)[i] = (float) x;
            } else if (array instanceof double[]) {
                ((double[]) array)[i] = x;
            } else if (array instanceof long[]) {
                ((long[]) array)[i] = v;
            } else {
                ((boolean[]) array)[i] = v > 0;
            }
        }
        return t;
    }

    private Tensor scalarLike(double value, DType dtype) {
        Tensor t = cpu.empty(new int[0], dtype);
        cpu.fill_(t, value);
        return t;
    }

    /**
     * Same shape, dtype, and values: exact, or, for an op the catalog allows ulps of error, within
     * twice that of each other. The two sides are two libraries: Java's Math on the CPU, the OpenCL
     * implementation's built-ins on the device, which the OpenCL C spec lets stray further (tan: up
     * to 5 ulps). PoCL's float64 tan once measured 2.25 ulps from Java's, and one allowance failed
     * the test now and then.
     */
    private void assertMatches(Tensor onCpu, Tensor onGpu, int ulps, String what) {
        assertThat(onGpu.device()).as(what).isEqualTo(onGpu.device());
        Tensor back = onGpu.device() == Device.CPU ? onGpu : cpu.toDevice(onGpu);
        assertThat(back.shape()).as(what + ": shape").containsExactly(onCpu.shape());
        assertThat(back.dtype()).as(what + ": dtype").isEqualTo(onCpu.dtype());
        double[] want = values(cpu.contiguous(onCpu));
        double[] got = values(cpu.contiguous(back));
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i])) {
                assertThat(got[i]).as(what + " at " + i).isNaN();
            } else if (ulps == 0 || Double.isInfinite(want[i])) {
                assertThat(got[i]).as(what + " at " + i).isEqualTo(want[i]);
            } else {
                double ulp = onCpu.dtype() == DType.FLOAT32 ? Math.ulp((float) Math.max(1.0, Math.abs(want[i])))
                        : Math.ulp(Math.max(1.0, Math.abs(want[i])));
                assertThat(got[i]).as(what + " at " + i).isCloseTo(want[i], org.assertj.core.data.Offset.offset(2 * ulps * ulp));
            }
        }
    }

    private static double[] values(Tensor t) {
        Object array = ((CpuStorage) t.storage()).array();
        int offset = t.storageOffset();
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) {
            if (array instanceof float[]) {
                v[i] = ((float[]) array)[offset + i];
            } else if (array instanceof double[]) {
                v[i] = ((double[]) array)[offset + i];
            } else if (array instanceof long[]) {
                v[i] = ((long[]) array)[offset + i];
            } else {
                v[i] = ((boolean[]) array)[offset + i] ? 1 : 0;
            }
        }
        return v;
    }
}
