package dev.steptorch.tensor.opencl;

import static dev.steptorch.tensor.opencl.KernelHarness.broadcastStrides;
import static dev.steptorch.tensor.opencl.KernelHarness.offset;
import static dev.steptorch.tensor.opencl.TensorKernel.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.GpuRequired;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The raw OpenCL kernel against plain Java loops, op by op: broadcasting through zero strides,
 * permuted (non-contiguous) inputs, every dtype path, and the two-pass reductions.
 */
@AddLifecycleHook(GpuRequired.class)
class TensorKernelProperties {
    private final KernelHarness h = new KernelHarness();

    /** An iteration shape, the shapes two operands broadcast from, and a seed for their values. */
    record Broadcast(int[] shape, int[] a, int[] b, long seed) {
        @Override
        public String toString() {
            return Arrays.toString(shape) + " <- " + Arrays.toString(a) + ", " + Arrays.toString(b) + " seed " + seed;
        }
    }

    @Provide
    Arbitrary<Broadcast> broadcasts() {
        Arbitrary<int[]> shapes = Arbitraries.integers().between(1, 5).array(int[].class).ofMinSize(0).ofMaxSize(4);
        return Combinators.combine(shapes, Arbitraries.longs(), Arbitraries.longs()).as((shape, maskSeed, seed) -> {
            Random r = new Random(maskSeed);
            int[] a = shape.clone();
            int[] b = shape.clone();
            for (int d = 0; d < shape.length; d++) {
                if (r.nextInt(3) == 0) {
                    a[d] = 1;
                } else if (r.nextInt(3) == 0) {
                    b[d] = 1;
                }
            }
            return new Broadcast(shape, a, b, seed);
        });
    }

    @Provide
    Arbitrary<Integer> floatBinary() {
        return Arbitraries.of(FN_ADD, FN_SUB, FN_MUL, FN_DIV, FN_MAXIMUM, FN_MINIMUM, FN_POW);
    }

    @Provide
    Arbitrary<Integer> longBinary() {
        return Arbitraries.of(FN_ADD, FN_SUB, FN_MUL, FN_MAXIMUM, FN_MINIMUM, FN_EQ, FN_NE, FN_LT, FN_LE, FN_GT, FN_GE);
    }

    @Property(tries = 40)
    void float32BinaryOpsMatchJavaWithBroadcasting(@ForAll("broadcasts") Broadcast c, @ForAll("floatBinary") int fn) {
        Random r = new Random(c.seed());
        float[] a = randomFloats(r, Launcher.numel(c.a()));
        float[] b = randomFloats(r, Launcher.numel(c.b()));
        Operand da = h.upload(a, c.a());
        Operand db = h.upload(b, c.b());
        Operand out = h.allocate(F32, c.shape());
        h.launcher.binary(fn, out, new Operand(F32, da.offset(), broadcastStrides(c.a(), c.shape())),
                new Operand(F32, db.offset(), broadcastStrides(c.b(), c.shape())), c.shape(), F32, 1.0);
        float[] got = h.floats(out, c.shape());
        for (int g = 0; g < got.length; g++) {
            float x = a[offset(g, c.shape(), broadcastStrides(c.a(), c.shape()))];
            float y = b[offset(g, c.shape(), broadcastStrides(c.b(), c.shape()))];
            float want = switch (fn) {
                case FN_ADD -> x + y;
                case FN_SUB -> x - y;
                case FN_MUL -> x * y;
                case FN_DIV -> x / y;
                case FN_MAXIMUM -> Math.max(x, y);
                case FN_MINIMUM -> Math.min(x, y);
                default -> (float) Math.pow(x, y);
            };
            float ulps = fn == FN_POW ? 1 : 0;
            assertClose(got[g], want, ulps, "fn " + fn + " at " + g + " of " + x + ", " + y);
        }
        h.release(da, a.length);
        h.release(db, b.length);
        h.release(out, got.length);
    }

    @Property(tries = 30)
    void scalarOperandsTravelAsKernelArguments(@ForAll("floatBinary") int fn, @ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = {1 + r.nextInt(4), 1 + r.nextInt(9)};
        float[] a = randomFloats(r, Launcher.numel(shape));
        float scalar = (float) r.nextGaussian();
        Operand da = h.upload(a, shape);
        Operand out = h.allocate(F32, shape);
        OpenClStats.reset();
        h.launcher.binaryScalar(fn, out, da, scalar, shape, F32, 1.0);
        assertThat(OpenClStats.hostToDeviceBytes()).as("no tensor data moves for a scalar").isZero();
        float[] got = h.floats(out, shape);
        for (int g = 0; g < got.length; g++) {
            float x = a[g];
            float want = switch (fn) {
                case FN_ADD -> x + scalar;
                case FN_SUB -> x - scalar;
                case FN_MUL -> x * scalar;
                case FN_DIV -> x / scalar;
                case FN_MAXIMUM -> Math.max(x, scalar);
                case FN_MINIMUM -> Math.min(x, scalar);
                default -> (float) Math.pow(x, scalar);
            };
            assertClose(got[g], want, fn == FN_POW ? 1 : 0, "fn " + fn + " of " + x + ", " + scalar);
        }
        h.release(da, a.length);
        h.release(out, got.length);
    }

    @Property(tries = 40)
    void int64OpsAreExactEvenAtTheExtremes(@ForAll("broadcasts") Broadcast c, @ForAll("longBinary") int fn) {
        Random r = new Random(c.seed());
        long[] a = randomLongs(r, Launcher.numel(c.a()));
        long[] b = randomLongs(r, Launcher.numel(c.b()));
        Operand da = h.upload(a, c.a());
        Operand db = h.upload(b, c.b());
        boolean compare = fn >= FN_EQ;
        Operand out = h.allocate(compare ? BOOL : I64, c.shape());
        h.launcher.binary(fn, out, new Operand(I64, da.offset(), broadcastStrides(c.a(), c.shape())),
                new Operand(I64, db.offset(), broadcastStrides(c.b(), c.shape())), c.shape(), I64, 1.0);
        int n = Launcher.numel(c.shape());
        long[] got = compare ? null : h.longs(out, c.shape());
        boolean[] gotBool = compare ? h.bools(out, c.shape()) : null;
        for (int g = 0; g < n; g++) {
            long x = a[offset(g, c.shape(), broadcastStrides(c.a(), c.shape()))];
            long y = b[offset(g, c.shape(), broadcastStrides(c.b(), c.shape()))];
            String what = "fn " + fn + " of " + x + ", " + y;
            switch (fn) {
                case FN_ADD -> assertThat(got[g]).as(what).isEqualTo(x + y);
                case FN_SUB -> assertThat(got[g]).as(what).isEqualTo(x - y);
                case FN_MUL -> assertThat(got[g]).as(what).isEqualTo(x * y);
                case FN_MAXIMUM -> assertThat(got[g]).as(what).isEqualTo(Math.max(x, y));
                case FN_MINIMUM -> assertThat(got[g]).as(what).isEqualTo(Math.min(x, y));
                case FN_EQ -> assertThat(gotBool[g]).as(what).isEqualTo(x == y);
                case FN_NE -> assertThat(gotBool[g]).as(what).isEqualTo(x != y);
                case FN_LT -> assertThat(gotBool[g]).as(what).isEqualTo(x < y);
                case FN_LE -> assertThat(gotBool[g]).as(what).isEqualTo(x <= y);
                case FN_GT -> assertThat(gotBool[g]).as(what).isEqualTo(x > y);
                default -> assertThat(gotBool[g]).as(what).isEqualTo(x >= y);
            }
        }
        h.release(da, a.length);
        h.release(db, b.length);
        h.release(out, n);
    }

    @Provide
    Arbitrary<Integer> unaryFns() {
        return Arbitraries.of(FN_COPY, FN_NEG, FN_EXP, FN_LOG, FN_SQRT, FN_ABS, FN_CLAMP);
    }

    @Property(tries = 40)
    void float64UnaryOpsOnTransposedInputMatchJava(@ForAll("unaryFns") int fn, @ForAll long seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(6);
        int cols = 1 + r.nextInt(6);
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextInt(5) == 0 ? 0.0 : (r.nextDouble() - 0.5) * 8;
        }
        int[] shape = {cols, rows};
        Operand stored = h.upload(a, new int[] {rows, cols});
        Operand transposed = new Operand(F64, stored.offset(), new int[] {1, cols});
        Operand out = h.allocate(F64, shape);
        h.launcher.unary(fn, out, transposed, shape, F64, -1.0, 2.5);
        double[] got = h.doubles(out, shape);
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < rows; j++) {
                double x = a[j * cols + i];
                double want = switch (fn) {
                    case FN_COPY -> x;
                    case FN_NEG -> -x;
                    case FN_EXP -> Math.exp(x);
                    case FN_LOG -> Math.log(x);
                    case FN_SQRT -> Math.sqrt(x);
                    case FN_ABS -> Math.abs(x);
                    default -> Math.min(Math.max(x, -1.0), 2.5);
                };
                assertClose(got[i * rows + j], want, fn == FN_EXP || fn == FN_LOG ? 4 : 0, "fn " + fn + " of " + x);
            }
        }
        h.release(stored, a.length);
        h.release(out, a.length);
    }

    @Property(tries = 30)
    void copyConvertsBetweenDtypesLikeJavaCasts(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(50);
        float[] f = randomFloats(r, n);
        int[] shape = {n};
        Operand df = h.upload(f, shape);
        Operand toLong = h.allocate(I64, shape);
        Operand toBool = h.allocate(BOOL, shape);
        Operand toDouble = h.allocate(F64, shape);
        h.launcher.unary(FN_COPY, toLong, df, shape, I64, null, null);
        h.launcher.unary(FN_COPY, toBool, df, shape, F64, null, null);
        h.launcher.unary(FN_COPY, toDouble, df, shape, F64, null, null);
        long[] l = h.longs(toLong, shape);
        boolean[] b = h.bools(toBool, shape);
        double[] d = h.doubles(toDouble, shape);
        for (int i = 0; i < n; i++) {
            assertThat(l[i]).isEqualTo((long) f[i]);
            assertThat(b[i]).isEqualTo(f[i] != 0f);
            assertThat(d[i]).isEqualTo((double) f[i]);
        }
        for (Operand o : new Operand[] {df, toLong, toBool, toDouble}) {
            h.release(o, n);
        }
    }

    @Property(tries = 40)
    void whereAndFillMatchJava(@ForAll("broadcasts") Broadcast c) {
        Random r = new Random(c.seed());
        boolean[] cond = new boolean[Launcher.numel(c.a())];
        for (int i = 0; i < cond.length; i++) {
            cond[i] = r.nextBoolean();
        }
        double[] b = new double[Launcher.numel(c.b())];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextGaussian();
        }
        Operand dc = h.upload(cond, c.a());
        Operand db = h.upload(b, c.b());
        Operand fill = h.allocate(F64, new int[0]);
        h.launcher.fill(fill, new int[0], -7.5, 0);
        Operand out = h.allocate(F64, c.shape());
        h.launcher.where(out, new Operand(BOOL, dc.offset(), broadcastStrides(c.a(), c.shape())),
                new Operand(F64, fill.offset(), new int[c.shape().length]),
                new Operand(F64, db.offset(), broadcastStrides(c.b(), c.shape())), c.shape());
        double[] got = h.doubles(out, c.shape());
        for (int g = 0; g < got.length; g++) {
            boolean m = cond[offset(g, c.shape(), broadcastStrides(c.a(), c.shape()))];
            double want = m ? -7.5 : b[offset(g, c.shape(), broadcastStrides(c.b(), c.shape()))];
            assertThat(got[g]).isEqualTo(want);
        }
        h.release(dc, cond.length);
        h.release(db, b.length);
        h.release(fill, 1);
        h.release(out, got.length);
    }

    /** Reduces one dimension of a random 3-D array, or all of a long vector (the two-pass path). */
    @Property(tries = 40)
    void reductionsMatchJava(@ForAll long seed, @ForAll boolean longVector) {
        Random r = new Random(seed);
        int[] shape = longVector ? new int[] {1, 4096 + r.nextInt(20000), 1}
                : new int[] {1 + r.nextInt(5), 1 + r.nextInt(6), 1 + r.nextInt(5)};
        int dim = longVector ? 1 : r.nextInt(3);
        int n = Launcher.numel(shape);
        float[] a = randomFloats(r, n);
        Operand da = h.upload(a, shape);
        int[] outer = new int[2];
        int[] outerStrides = new int[2];
        for (int d = 0, o = 0; d < 3; d++) {
            if (d != dim) {
                outer[o] = shape[d];
                outerStrides[o++] = da.strides()[d];
            }
        }
        int[] inner = {shape[dim]};
        int[] innerStrides = {da.strides()[dim]};
        Operand aOuter = new Operand(F32, da.offset(), outerStrides);
        Operand sum = h.allocate(F32, outer);
        Operand max = h.allocate(F32, outer);
        Operand arg = h.allocate(I64, outer);
        h.launcher.reduce(FN_SUM, sum, null, outer, aOuter, inner, innerStrides, F32);
        h.launcher.reduce(FN_MAX, max, arg, outer, aOuter, inner, innerStrides, F32);
        float[] gotSum = h.floats(sum, outer);
        float[] gotMax = h.floats(max, outer);
        long[] gotArg = h.longs(arg, outer);
        for (int o = 0; o < gotSum.length; o++) {
            double s = 0;
            double abs = 0;
            float best = Float.NEGATIVE_INFINITY;
            int bestAt = -1;
            for (int i = 0; i < inner[0]; i++) {
                float x = a[offset(o, outer, outerStrides) + i * innerStrides[0]];
                s += x;
                abs += Math.abs(x);
                if (x > best) {
                    best = x;
                    bestAt = i;
                }
            }
            assertThat((double) gotSum[o]).as("sum").isCloseTo(s, org.assertj.core.data.Offset.offset(
                    4.0 * inner[0] * Math.ulp((float) abs) + Math.ulp((float) s)));
            assertThat(gotMax[o]).as("max").isEqualTo(best);
            assertThat(gotArg[o]).as("argmax").isEqualTo(bestAt);
        }
        h.release(da, n);
        h.release(sum, gotSum.length);
        h.release(max, gotSum.length);
        h.release(arg, gotSum.length);
    }

    @Property(tries = 30)
    void mmMatchesJavaLoopsForAnyStrides(@ForAll long seed, @ForAll boolean transposeA, @ForAll boolean transposeB,
                                         @ForAll boolean integer) {
        Random r = new Random(seed);
        int m = 1 + r.nextInt(40);
        int k = 1 + r.nextInt(40);
        int n = 1 + r.nextInt(70);
        int type = integer ? I64 : F32;
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = integer ? r.nextInt(21) - 10 : r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = integer ? r.nextInt(21) - 10 : r.nextGaussian();
        }
        // a is stored transposed (k x m) when transposeA, and read through swapped strides
        Object aHost = hostArray(type, transposeA ? transpose(a, m, k) : a);
        Operand da = h.upload(aHost, transposeA ? new int[] {k, m} : new int[] {m, k});
        Operand aView = transposeA ? new Operand(type, da.offset(), new int[] {1, m}) : da;
        // b stored transposed (n x k) leaves no contiguous rows: the column-by-column path
        Operand db = h.upload(hostArray(type, transposeB ? transpose(b, k, n) : b),
                transposeB ? new int[] {n, k} : new int[] {k, n});
        Operand bView = transposeB ? new Operand(type, db.offset(), new int[] {1, k}) : db;
        Operand out = h.allocate(type, new int[] {m, n});
        h.launcher.mm(out, aView, bView, m, n, k);
        double[] got = integer ? Arrays.stream(h.longs(out, new int[] {m, n})).asDoubleStream().toArray()
                : toDoubles(h.floats(out, new int[] {m, n}));
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    float x = (float) a[i * k + p];
                    float y = (float) b[p * n + j];
                    want += (double) x * y;
                    abs += Math.abs((double) x * y);
                }
                double tol = integer ? 0 : 2 * k * Math.ulp((float) abs);
                assertThat(got[i * n + j]).as("out[%d,%d]", i, j).isCloseTo(want, org.assertj.core.data.Offset.offset(tol));
            }
        }
        h.release(da, m * k);
        h.release(db, k * n);
        h.release(out, m * n);
    }

    @Provide
    Arbitrary<Integer> comparisons() {
        return Arbitraries.of(FN_EQ, FN_NE, FN_LT, FN_LE, FN_GT, FN_GE);
    }

    /** Float comparisons follow IEEE (NaN compares false except !=), against a tensor or a scalar. */
    @Property(tries = 30)
    void floatComparisonsHandleNaN(@ForAll("comparisons") int fn, @ForAll long seed, @ForAll boolean scalar) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(40);
        int[] shape = {n};
        double[] a = new double[n];
        double[] b = new double[n];
        double[] pool = {Double.NaN, 0.0, -0.0, 1.5, -2.0, Double.POSITIVE_INFINITY};
        for (int i = 0; i < n; i++) {
            a[i] = pool[r.nextInt(pool.length)];
            b[i] = scalar ? pool[(int) Math.floorMod(seed, (long) pool.length)] : pool[r.nextInt(pool.length)];
        }
        Operand da = h.upload(a, shape);
        Operand db = h.upload(b, shape);
        Operand out = h.allocate(BOOL, shape);
        if (scalar) {
            h.launcher.binaryScalar(fn, out, da, b[0], shape, F64, 1.0);
        } else {
            h.launcher.binary(fn, out, da, db, shape, F64, 1.0);
        }
        boolean[] got = h.bools(out, shape);
        for (int i = 0; i < n; i++) {
            double x = a[i];
            double y = b[i];
            boolean want = switch (fn) {
                case FN_EQ -> x == y;
                case FN_NE -> x != y;
                case FN_LT -> x < y;
                case FN_LE -> x <= y;
                case FN_GT -> x > y;
                default -> x >= y;
            };
            assertThat(got[i]).as("fn %d of %s, %s", fn, x, y).isEqualTo(want);
        }
        h.release(da, n);
        h.release(db, n);
        h.release(out, n);
    }

    /** min/argmin over rows, and sums of int64 and of bool (counted as int64), all exact. */
    @Property(tries = 30)
    void integerAndBoolReductionsAreExact(@ForAll long seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(5);
        int cols = 1 + r.nextInt(9);
        int[] shape = {rows, cols};
        long[] a = randomLongs(r, rows * cols);
        boolean[] m = new boolean[rows * cols];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextBoolean();
        }
        Operand da = h.upload(a, shape);
        Operand dm = h.upload(m, shape);
        int[] outer = {rows};
        int[] inner = {cols};
        Operand min = h.allocate(I64, outer);
        Operand arg = h.allocate(I64, outer);
        Operand sum = h.allocate(I64, outer);
        Operand count = h.allocate(I64, outer);
        h.launcher.reduce(FN_MIN, min, arg, outer, new Operand(I64, da.offset(), new int[] {cols}), inner, new int[] {1}, I64);
        h.launcher.reduce(FN_SUM, sum, null, outer, new Operand(I64, da.offset(), new int[] {cols}), inner, new int[] {1}, I64);
        h.launcher.reduce(FN_SUM, count, null, outer, new Operand(BOOL, dm.offset(), new int[] {cols}), inner, new int[] {1}, I64);
        long[] gotMin = h.longs(min, outer);
        long[] gotArg = h.longs(arg, outer);
        long[] gotSum = h.longs(sum, outer);
        long[] gotCount = h.longs(count, outer);
        for (int i = 0; i < rows; i++) {
            long best = a[i * cols];
            int at = 0;
            long total = 0;
            long trues = 0;
            for (int j = 0; j < cols; j++) {
                long x = a[i * cols + j];
                if (x < best) {
                    best = x;
                    at = j;
                }
                total += x;
                trues += m[i * cols + j] ? 1 : 0;
            }
            assertThat(gotMin[i]).isEqualTo(best);
            assertThat(gotArg[i]).isEqualTo(at);
            assertThat(gotSum[i]).isEqualTo(total);
            assertThat(gotCount[i]).isEqualTo(trues);
        }
        for (Operand o : new Operand[] {min, arg, sum, count}) {
            h.release(o, rows);
        }
        h.release(da, a.length);
        h.release(dm, m.length);
    }

    @Property(tries = 30)
    void maskedFillWritesTheScalarWhereTheMaskHolds(@ForAll("broadcasts") Broadcast c) {
        Random r = new Random(c.seed());
        float[] a = randomFloats(r, Launcher.numel(c.shape()));
        boolean[] mask = new boolean[Launcher.numel(c.a())];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = r.nextBoolean();
        }
        Operand da = h.upload(a, c.shape());
        Operand dm = h.upload(mask, c.a());
        h.launcher.maskedFill(da, new Operand(BOOL, dm.offset(), broadcastStrides(c.a(), c.shape())), 3.25, da, c.shape());
        float[] got = h.floats(da, c.shape());
        for (int g = 0; g < got.length; g++) {
            boolean on = mask[offset(g, c.shape(), broadcastStrides(c.a(), c.shape()))];
            assertThat(got[g]).isEqualTo(on ? 3.25f : a[g]);
        }
        h.release(da, a.length);
        h.release(dm, mask.length);
    }

    @Example
    void arenaGrowthKeepsLiveData() {
        float[] first = randomFloats(new Random(1), 1000);
        Operand keep = h.upload(first, new int[] {1000});
        int big = 3 * OpenClRuntime.get().kernel.f32.length;
        Operand huge = h.allocate(F32, new int[] {big});
        assertThat(OpenClRuntime.get().kernel.f32.length).isGreaterThanOrEqualTo(big);
        assertThat(h.floats(keep, new int[] {1000})).containsExactly(first);
        h.release(huge, big);
        h.release(keep, 1000);
    }

    @Example
    void unreachableBlocksReturnToTheHeap() throws InterruptedException {
        DeviceHeap heap = h.launcher.heap();
        int before = heap.used(I64);
        DeviceBlock block = DeviceBlock.allocate(heap, I64, 12345);
        assertThat(heap.used(I64)).isEqualTo(before + block.size);
        block = null;
        for (int i = 0; i < 100 && heap.used(I64) != before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(heap.used(I64)).isEqualTo(before);
    }

    @Example
    void freedBlocksAreReused() {
        DeviceHeap heap = h.launcher.heap();
        int before = heap.used(F64);
        int a = heap.allocate(F64, 100);
        heap.release(F64, a, 100);
        assertThat(heap.allocate(F64, 60)).isEqualTo(a);
        heap.release(F64, a, 60);
        assertThat(heap.used(F64)).isEqualTo(before);
    }

    /**
     * Random allocate/release sequences never hand out overlapping live blocks. (This caught a
     * first-fit that read a TreeMap entry after removing it: TreeMap may reuse the removed node for
     * the successor, so the split size came from the wrong free range.)
     */
    @Property(tries = 50)
    void liveBlocksNeverOverlap(@ForAll long seed) {
        DeviceHeap heap = h.launcher.heap();
        Random r = new Random(seed);
        List<int[]> live = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            if (!live.isEmpty() && r.nextInt(3) == 0) {
                int[] b = live.remove(r.nextInt(live.size()));
                heap.release(I64, b[0], b[1]);
                continue;
            }
            int n = 1 + r.nextInt(200);
            int offset = heap.allocate(I64, n);
            for (int[] b : live) {
                assertThat(offset + n <= b[0] || b[0] + b[1] <= offset)
                        .as("block [%d, %d) overlaps live block [%d, %d)", offset, offset + n, b[0], b[0] + b[1])
                        .isTrue();
            }
            live.add(new int[] {offset, n});
        }
        live.forEach(b -> heap.release(I64, b[0], b[1]));
    }

    @Example
    void transfersAreCountedAndTheKernelStaysOnTheOpenClDevice() {
        OpenClStats.reset();
        Operand x = h.upload(new float[] {1, 2, 3}, new int[] {3});
        float[] back = h.floats(x, new int[] {3});
        assertThat(back).containsExactly(1, 2, 3);
        assertThat(OpenClStats.hostToDeviceBytes()).isGreaterThanOrEqualTo(12);
        assertThat(OpenClStats.deviceToHostBytes()).isGreaterThanOrEqualTo(12);
        assertThat(OpenClStats.launches()).isEqualTo(2);
        OpenClRuntime rt = OpenClRuntime.get();
        assertThat(rt.kernel.getTargetDevice()).isEqualTo(rt.device);
        h.release(x, 3);
    }

    @Example
    void tooManyDimensionsAfterMergingIsReportedClearly() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = new int[9];
        for (int d = 0; d < 9; d++) {
            strides[d] = 1 << (2 * (8 - d)); // gaps between all dims: nothing merges
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Launcher.simplify(shape, new Operand(F32, 0, strides)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 8 dimensions");
    }

    private static float[] randomFloats(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(8) == 0 ? 0f : (float) ((r.nextDouble() - 0.5) * 8);
        }
        return a;
    }

    private static long[] randomLongs(Random r, int n) {
        long[] pool = {Long.MIN_VALUE, Long.MAX_VALUE, 0, 1, -1, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(3) == 0 ? pool[r.nextInt(pool.length)] : r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(11) - 5;
        }
        return a;
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    private static Object hostArray(int type, double[] values) {
        if (type == I64) {
            return Arrays.stream(values).mapToLong(v -> (long) v).toArray();
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void assertClose(double got, double want, double ulps, String what) {
        if (Double.isNaN(want)) {
            assertThat(got).as(what).isNaN();
        } else if (ulps == 0) {
            assertThat(got).as(what).isEqualTo(want);
        } else {
            assertThat(got).as(what).isCloseTo(want, org.assertj.core.data.Offset.offset(ulps * Math.ulp(want)));
        }
    }

    private static void assertClose(float got, float want, float ulps, String what) {
        if (Float.isNaN(want)) {
            assertThat(got).as(what).isNaN();
        } else if (ulps == 0) {
            assertThat(got).as(what).isEqualTo(want);
        } else {
            assertThat(got).as(what).isCloseTo(want, org.assertj.core.data.Offset.offset(ulps * Math.ulp(want)));
        }
    }
}
