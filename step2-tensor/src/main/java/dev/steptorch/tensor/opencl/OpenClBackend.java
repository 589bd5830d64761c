package dev.steptorch.tensor.opencl;

import static dev.steptorch.tensor.opencl.TensorKernel.*;

import dev.steptorch.tensor.Backend;
import dev.steptorch.tensor.BinaryOp;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.ReduceOp;
import dev.steptorch.tensor.Shapes;
import dev.steptorch.tensor.Storage;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.UnaryOp;
import dev.steptorch.tensor.Window2d;
import dev.steptorch.tensor.cpu.CpuStorage;

/**
 * The kernels of {@code Device.GPU}: each one turns its (already checked, broadcast and
 * converted) tensors into {@link GpuView}s and runs the matching branch of {@link TensorKernel}.
 * The {@link dev.steptorch.tensor.Dispatcher} creates it by name on first use of the GPU; the
 * constructor throws, saying why, when there is no usable OpenCL device.
 */
public final class OpenClBackend extends Backend {
    private final GpuKernels gpu;
    private final DeviceHeap heap;

    public OpenClBackend() {
        super(Device.GPU);
        OpenClRuntime rt = OpenClRuntime.get();
        this.heap = rt.heap;
        this.gpu = new GpuKernels(new Launcher(rt));
    }

    static int code(DType dtype) {
        switch (dtype) {
            case FLOAT32: return F32;
            case FLOAT64: return F64;
            case INT64: return I64;
            default: return BOOL;
        }
    }

    private static GpuView view(Tensor t) {
        return new GpuView(((OpenClStorage) t.storage()).block, t.shape(), t.strides(), t.storageOffset());
    }

    @Override
    protected Storage allocate(DType dtype, int size) {
        return new OpenClStorage(dtype, size, heap);
    }

    /** The op code comes from the enum row; the kernel has one branch per code. */
    @Override
    protected void binaryKernel(BinaryOp op, Tensor a, Tensor b, double alpha, Tensor out) {
        gpu.binary(op.kernelCode(), view(out), view(a), view(b), code(a.dtype()), alpha);
    }

    @Override
    protected void unaryKernel(UnaryOp op, Tensor a, Tensor out) {
        gpu.unary(op.kernelCode(), view(out), view(a), code(a.dtype()));
    }

    @Override
    protected void clampKernel(Tensor a, double min, double max, Tensor out) {
        gpu.clamp(view(out), view(a), min, max, code(a.dtype()));
    }

    @Override
    protected void whereKernel(Tensor cond, Tensor a, Tensor b, Tensor out) {
        gpu.where(view(out), view(cond), view(a), view(b));
    }

    @Override
    protected void reduceKernel(ReduceOp op, Tensor a, int dim, Tensor values, Tensor indices) {
        int compute = code(op == ReduceOp.SUM || op == ReduceOp.PROD ? values.dtype() : a.dtype());
        gpu.reduce(op.kernelCode(), view(values), indices == null ? null : view(indices), view(a), only(dim, a.dim()), compute);
    }

    private static boolean[] only(int dim, int rank) {
        boolean[] reduced = new boolean[rank];
        reduced[dim] = true;
        return reduced;
    }

    @Override
    protected void mmKernel(Tensor a, Tensor b, Tensor out) {
        gpu.mm(view(out), view(a), view(b));
    }

    @Override
    protected void unfoldKernel(Tensor input, Window2d win, Tensor cols) {
        gpu.unfold(view(cols), view(input), win);
    }

    @Override
    protected void foldKernel(Tensor cols, Window2d win, Tensor out) {
        gpu.fold(view(out), view(cols), win);
    }

    @Override
    protected void maxPool2dKernel(Tensor input, Window2d win, Tensor values, Tensor indices) {
        gpu.maxPool(view(values), view(indices), view(input), win);
    }

    @Override
    protected void maxPool2dBackwardKernel(Tensor grad, Tensor indices, Tensor out) {
        gpu.maxPoolBackward(view(out), view(grad), view(indices));
    }

    @Override
    protected void copyKernel(Tensor src, Tensor dst) {
        gpu.copy(view(dst), view(src));
    }

    @Override
    protected void fillKernel(Tensor dst, double value) {
        gpu.fill(view(dst), value);
    }

    /**
     * Uploads a contiguous CPU tensor. A single element (a Java number wrapped as a tensor, such
     * as the 2.0 of {@code 2.0 * x}) is written by a fill launch instead: its value travels as a
     * kernel argument and no buffer is copied, as CUDA passes scalars to its kernels.
     */
    @Override
    protected Tensor fromCpu(Tensor cpuTensor) {
        Tensor t = empty(cpuTensor.shape(), cpuTensor.dtype());
        Object array = ((CpuStorage) cpuTensor.storage()).array();
        if (t.numel() == 1 && cpuTensor.dtype() != DType.INT64) {
            gpu.fill(view(t), cpuTensor.item());
        } else if (t.numel() == 1) {
            gpu.fillLong(view(t), ((long[]) array)[cpuTensor.storageOffset()]);
        } else {
            gpu.upload(array, cpuTensor.storageOffset(), view(t));
        }
        return t;
    }

    @Override
    protected Tensor toCpu(Tensor t) {
        Tensor cpu = Tensor.wrap(new CpuStorage(t.dtype(), t.numel()), t.shape(), Shapes.contiguousStrides(t.shape()), 0);
        gpu.download(view(t), ((CpuStorage) cpu.storage()).array(), 0);
        return cpu;
    }
}
