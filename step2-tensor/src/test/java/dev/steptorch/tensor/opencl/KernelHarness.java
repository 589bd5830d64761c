package dev.steptorch.tensor.opencl;

import static dev.steptorch.tensor.opencl.TensorKernel.*;

/** Puts plain Java arrays into device blocks and reads them back, for tests of the raw kernel. */
final class KernelHarness {
    final Launcher launcher = new Launcher(OpenClRuntime.get());

    /** A device block holding a copy of the array; the caller releases it with {@link #release}. */
    Operand upload(Object host, int[] shape) {
        int type = typeOf(host);
        int n = java.lang.reflect.Array.getLength(host);
        int offset = launcher.heap().allocate(type, n);
        int[] flat = {n};
        launcher.upload(host, 0, Operand.contiguous(type, offset, flat), flat);
        return Operand.contiguous(type, offset, shape);
    }

    Operand allocate(int type, int[] shape) {
        return Operand.contiguous(type, launcher.heap().allocate(type, Launcher.numel(shape)), shape);
    }

    void release(Operand op, int n) {
        launcher.heap().release(op.type(), op.offset(), n);
    }

    float[] floats(Operand op, int[] shape) {
        float[] r = new float[Launcher.numel(shape)];
        launcher.download(op, shape, r, 0);
        return r;
    }

    double[] doubles(Operand op, int[] shape) {
        double[] r = new double[Launcher.numel(shape)];
        launcher.download(op, shape, r, 0);
        return r;
    }

    long[] longs(Operand op, int[] shape) {
        long[] r = new long[Launcher.numel(shape)];
        launcher.download(op, shape, r, 0);
        return r;
    }

    boolean[] bools(Operand op, int[] shape) {
        boolean[] r = new boolean[Launcher.numel(shape)];
        launcher.download(op, shape, r, 0);
        return r;
    }

    static int typeOf(Object host) {
        if (host instanceof float[]) {
            return F32;
        } else if (host instanceof double[]) {
            return F64;
        } else if (host instanceof long[]) {
            return I64;
        }
        return BOOL;
    }

    /** Row-major strides, with 0 where the operand's size is 1 but the iteration shape's is not. */
    static int[] broadcastStrides(int[] own, int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = own[d] == 1 && shape[d] != 1 ? 0 : s;
            s *= own[d];
        }
        return strides;
    }

    /** Offset of the row-major element g of shape, under the given strides. */
    static int offset(int g, int[] shape, int[] strides) {
        int off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (g % shape[d]) * strides[d];
            g /= shape[d];
        }
        return off;
    }
}
