package dev.steptorch.tensor.opencl;

import dev.steptorch.cli.Cli;
import java.util.Random;

/** Timings of the OpenCL kernels themselves, for the step's benchmark. */
public final class OpenClBench {
    private OpenClBench() {
    }

    /**
     * GFLOP/s of float32 mm (m x k) . (k x n) on the OpenCL device: best of a few timed runs after
     * one warm-up run. Operands are device-resident, so no transfer is timed.
     */
    public static double mmGflops(int m, int k, int n, int runs) {
        OpenClRuntime rt = OpenClRuntime.get();
        Launcher launcher = new Launcher(rt);
        DeviceHeap heap = rt.heap;
        int[] as = {m, k};
        int[] bs = {k, n};
        int[] cs = {m, n};
        Operand a = Operand.contiguous(TensorKernel.F32, heap.allocate(TensorKernel.F32, m * k), as);
        Operand b = Operand.contiguous(TensorKernel.F32, heap.allocate(TensorKernel.F32, k * n), bs);
        Operand c = Operand.contiguous(TensorKernel.F32, heap.allocate(TensorKernel.F32, m * n), cs);
        try {
            Random r = new Random(0);
            launcher.upload(randoms(r, m * k), 0, a, as);
            launcher.upload(randoms(r, k * n), 0, b, bs);
            launcher.mm(c, a, b, m, n, k);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                launcher.mm(c, a, b, m, n, k);
                best = Math.min(best, System.nanoTime() - t0);
            }
            return 2.0 * m * k * n / best;
        } finally {
            heap.release(TensorKernel.F32, a.offset(), m * k);
            heap.release(TensorKernel.F32, b.offset(), k * n);
            heap.release(TensorKernel.F32, c.offset(), m * n);
        }
    }

    /**
     * Runs the course's two-layer network on the device for the given iterations after a warm-up,
     * and returns {seconds per iteration, host-to-device bytes, device-to-host bytes, launch-record
     * bytes, launches} of one iteration.
     */
    public static double[] twoLayerIteration(int iterations) {
        TwoLayerOnDevice net = new TwoLayerOnDevice(0);
        for (int i = 0; i < 5; i++) {
            net.step();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            net.step();
        }
        double seconds = (System.nanoTime() - t0) / 1e9 / iterations;
        OpenClStats.reset();
        net.step();
        return new double[] {seconds, OpenClStats.hostToDeviceBytes(), OpenClStats.deviceToHostBytes(),
                OpenClStats.metadataBytes(), OpenClStats.launches()};
    }

    /** Prints the OpenCL figures of the step's benchmark. */
    public static void main(String[] args) {
        Cli.lesson(args, "OpenClBench", "GFLOP/s of the OpenCL matrix product for a few shapes, and the copy costs.",
                "OpenClBench");
        System.out.println("OpenCL device: " + device());
        int[][] shapes = {{1024, 1024, 1024}, {64, 1000, 100}, {1000, 64, 100}, {64, 100, 10}, {100, 64, 10}};
        for (int[] s : shapes) {
            System.out.printf("mm float32 %dx%dx%d: %.2f GFLOP/s%n", s[0], s[1], s[2],
                    mmGflops(s[0], s[1], s[2], s[0] == 1024 ? 3 : 50));
        }
        double[] it = twoLayerIteration(200);
        System.out.printf("two-layer net, one iteration on the device: %.3f ms, host->device %.0f B,"
                + " device->host %.0f B, launch records %.0f B, %.0f launches%n", it[0] * 1e3, it[1], it[2], it[3], it[4]);
    }

    /** The OpenCL device the timings ran on. */
    public static String device() {
        return OpenClRuntime.get().describe();
    }

    private static float[] randoms(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
