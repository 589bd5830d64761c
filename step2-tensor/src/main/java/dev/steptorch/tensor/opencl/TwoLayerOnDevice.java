package dev.steptorch.tensor.opencl;

import static dev.steptorch.tensor.opencl.TensorKernel.*;

import java.util.Random;

/**
 * The course's two-layer network with hand-written backprop, written directly against the GPU
 * kernels with every tensor resident on the device: the op sequence of the TwoLayerTensors lesson,
 * without the tensor API in between. It measures what one training iteration costs the OpenCL
 * backend: launches, time, and bytes between host and device.
 */
final class TwoLayerOnDevice {
    static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;
    private static final double LEARNING_RATE = 1e-6;

    private final GpuKernels gpu;
    private final GpuView x, y, w1, w2;
    private final GpuView h, hRelu, yPred, diff, sq, loss, gradYPred, gradW2, gradHRelu, gradH, gradW1, mask;
    private final float[] lossHost = new float[1];

    TwoLayerOnDevice(long seed) {
        gpu = new GpuKernels(new Launcher(OpenClRuntime.get()));
        Random r = new Random(seed);
        x = randn(r, N, D_IN);
        y = randn(r, N, D_OUT);
        w1 = randn(r, D_IN, H);
        w2 = randn(r, H, D_OUT);
        h = tensor(F32, N, H);
        hRelu = tensor(F32, N, H);
        yPred = tensor(F32, N, D_OUT);
        diff = tensor(F32, N, D_OUT);
        sq = tensor(F32, N, D_OUT);
        loss = tensor(F32);
        gradYPred = tensor(F32, N, D_OUT);
        gradW2 = tensor(F32, H, D_OUT);
        gradHRelu = tensor(F32, N, H);
        gradH = tensor(F32, N, H);
        gradW1 = tensor(F32, D_IN, H);
        mask = tensor(BOOL, N, H);
    }

    /** One step of gradient descent; returns the loss before the step (the only value read back). */
    float step() {
        gpu.mm(h, x, w1);                                         // h = x.mm(w1)
        gpu.clamp(hRelu, h, 0.0, null, F32);                      // h_relu = h.clamp(min=0)
        gpu.mm(yPred, hRelu, w2);                                 // y_pred = h_relu.mm(w2)
        gpu.binary(FN_SUB, diff, yPred, y, F32, 1.0);             // y_pred - y
        gpu.binaryScalar(FN_POW, sq, diff, 2.0, F32, 1.0);        // .pow(2)
        gpu.reduce(FN_SUM, loss, null, sq, new boolean[] {true, true}, F32); // .sum()
        gpu.download(loss, lossHost, 0);                          // .item()
        gpu.binaryScalar(FN_MUL, gradYPred, diff, 2.0, F32, 1.0); // grad_y_pred = 2.0 * (y_pred - y)
        gpu.mm(gradW2, t(hRelu), gradYPred);                      // grad_w2 = h_relu.t().mm(grad_y_pred)
        gpu.mm(gradHRelu, gradYPred, t(w2));                      // grad_h_relu = grad_y_pred.mm(w2.t())
        gpu.copy(gradH, gradHRelu);                               // grad_h = grad_h_relu.clone()
        gpu.binaryScalar(FN_LT, mask, h, 0.0, F32, 1.0);          // h < 0
        gpu.maskedFill(gradH, gradH, mask, 0.0);                  // grad_h[h < 0] = 0
        gpu.mm(gradW1, t(x), gradH);                              // grad_w1 = x.t().mm(grad_h)
        gpu.binary(FN_SUB, w1, w1, gradW1, F32, LEARNING_RATE);   // w1 -= learning_rate * grad_w1
        gpu.binary(FN_SUB, w2, w2, gradW2, F32, LEARNING_RATE);   // w2 -= learning_rate * grad_w2
        return lossHost[0];
    }

    private GpuView tensor(int type, int... shape) {
        DeviceBlock block = DeviceBlock.allocate(gpu.heap(), type, Launcher.numel(shape));
        return new GpuView(block, shape, Operand.contiguous(type, 0, shape).strides(), 0);
    }

    private GpuView randn(Random r, int... shape) {
        GpuView v = tensor(F32, shape);
        float[] host = new float[v.numel()];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) r.nextGaussian();
        }
        gpu.upload(host, 0, v);
        return v;
    }

    /** The transpose as a view: swapped shape and strides, same block. */
    private static GpuView t(GpuView v) {
        return new GpuView(v.block(), new int[] {v.shape()[1], v.shape()[0]},
                new int[] {v.strides()[1], v.strides()[0]}, v.offset());
    }
}
