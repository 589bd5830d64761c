package dev.steptorch.nn;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.ndarray.Parallel;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) as im2col + one matrix product: every window
 * of the padded input becomes a column of C*kh*kw numbers ({@link Torch#unfold}, a step 2
 * primitive with a kernel on every device), and the weight, flattened to [outC, C*kh*kw], meets
 * all of them at once. The columns are [C*kh*kw, images*outH*outW], so {@code weight . cols} has
 * long output rows, which the matrix product handles best. Backward is the same product
 * transposed, and col2im ({@link Torch#fold}) sums the column gradients back into the input's
 * pixels. On the CPU the batch is cut into one group of images per core, each group's unfold and
 * products on a thread of its own. Like PyTorch, which picks a backend per call (oneDNN, cuDNN,
 * im2col), the course's own case, stride 1 without padding, goes to {@link Torch#correlate2d},
 * {@link Torch#correlate2dWeight} and {@link Torch#correlate2dInput}, which the CPU computes in
 * float32 without the columns.
 * Arguments: input [N, C, H, W], weight [outC, C, kh, kw], bias [outC] or null, stride, padding.
 */
final class ConvolutionOp extends Function {
    /**
     * The columns hold C*kh*kw numbers for every output pixel. Small ones are kept for the weight
     * gradient, since making them again costs a pass over memory in every step (a LeNet epoch at
     * batch 64: 11.1 s kept, 12.5-13.9 s remade). Beyond this many numbers (32 MiB of float32) the
     * input is kept instead and each group of images unfolded again in backward: ResNet-18's first
     * layer at batch 16 would otherwise make 115 MB of columns per convolution, which the JVM
     * zeroes, the matrix product copies once more, and the collector then has to clear. Not final
     * so that a test can send small convolutions down the second path.
     */
    static long keepColumns = 1L << 23;
    /**
     * The columns of one group, when not kept: at most this many numbers (8 MiB of float32), so
     * that they are still in the cache when the product reads them. Not final, for the same test.
     */
    static long groupColumns = 1L << 21;
    /**
     * Fewer multiply-adds than this (about 40 µs of work) are not worth a group of their own: at
     * the course's batch of 4 a LeNet convolution is 1 to 1.4 M, and cutting it in two made an
     * epoch slower (StepTorch on one thread: 8.6-9.1 s, on two: 11.9-12.8 s). Not final, so that
     * a test can cut small convolutions into groups.
     */
    static long groupWork = 1L << 21;
    /** Whether stride 1 without padding goes to {@link Torch#correlate2d}; not final, so that a test can compare both ways. */
    static boolean direct = true;

    @Override
    public String name() {
        return "ConvolutionBackward0";
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor input = (Tensor) args[0];
        Tensor weight = (Tensor) args[1];
        Tensor bias = (Tensor) args[2];
        int[] stride = (int[]) args[3];
        int[] padding = (int[]) args[4];
        int n = input.size(0);
        int outC = weight.size(0);
        int kh = weight.size(2);
        int kw = weight.size(3);
        int outH = (input.size(2) + 2 * padding[0] - kh) / stride[0] + 1;
        int outW = (input.size(3) + 2 * padding[1] - kw) / stride[1] + 1;
        Tensor w2d = weight.reshape(outC, -1);
        // stride 1 without padding: no columns; backward takes the weight's gradient from the input too
        boolean correlate = direct && stride[0] == 1 && stride[1] == 1 && padding[0] == 0 && padding[1] == 0;
        long columnsPerImage = (long) w2d.size(1) * outH * outW;
        boolean kept = !correlate && columnsPerImage * n <= keepColumns;
        int group = imagesPerGroup(input, columnsPerImage * outC, columnsPerImage, kept);
        // w2d, then each group's columns when they are kept, else the input
        Tensor[] save = new Tensor[kept ? 1 + groups(n, group) : 2];
        save[0] = w2d;
        if (!kept) {
            save[1] = input;
        }
        Tensor out = correlate ? Torch.correlate2d(input, weight)
                : Torch.empty(Options.of(input.dtype(), input.device()), n, outC, outH, outW);
        forEachGroup(input, correlate ? 0 : n, group, (t, i, g) -> {
            Tensor c = Torch.unfold(input.narrow(0, i, g), kh, kw, stride[0], stride[1], padding[0], padding[1]);
            // [outC, g * L] into the images' [g, outC, L]
            out.narrow(0, i, g).copy_(w2d.mm(c).view(outC, g, outH, outW).permute(1, 0, 2, 3));
            if (kept) {
                save[1 + t] = c;
            }
        });
        Tensor result = bias == null ? out : out.add_(bias.view(1, outC, 1, 1));
        ctx.saveForBackward(save);
        ctx.put("correlate", correlate);
        ctx.put("columnsKept", kept);
        ctx.put("imagesPerGroup", group);
        ctx.put("inputShape", input.shape());
        ctx.put("weightShape", weight.shape());
        ctx.put("stride", stride);
        ctx.put("padding", padding);
        return result;
    }

    /**
     * On the CPU a fair share of the batch per core, so that every core has a group to work on (a
     * device takes the whole batch in one launch per op), but no group under {@link #groupWork}
     * multiply-adds; when the columns are not kept, no more images than fit {@link #groupColumns},
     * and at least one.
     */
    private static int imagesPerGroup(Tensor input, long workPerImage, long columnsPerImage, boolean kept) {
        int n = input.size(0);
        int cores = Parallel.threads();
        long share = Math.max((n + cores - 1) / cores, (groupWork + workPerImage - 1) / Math.max(1, workPerImage));
        share = input.device() == Device.CPU ? Math.min(n, share) : n;
        return (int) Math.max(1, kept ? share : Math.min(share, groupColumns / Math.max(1, columnsPerImage)));
    }

    private static int groups(int n, int group) {
        return (n + group - 1) / group;
    }

    /** What one group of images does: the group's number, its first image and how many. */
    private interface Group {
        void run(int index, int first, int images);
    }

    /**
     * Runs each group once. On the CPU the groups share out the threads of {@code Parallel}, each group's
     * ops on one thread, the way PyTorch parallelises its convolution over the batch: no thread
     * waits for another at every product, and making and zeroing columns is split too. The
     * workers record the graph as the caller does (the mode is per thread).
     */
    private static void forEachGroup(Tensor like, int n, int group, Group body) {
        boolean recording = GradMode.isEnabled();
        IntConsumer each = t -> {
            try (var ignored = GradMode.setGradEnabled(recording)) {
                body.run(t, t * group, Math.min(group, n - t * group));
            }
        };
        if (like.device() == Device.CPU) {
            Parallel.forEach(groups(n, group), each);
        } else {
            IntStream.range(0, groups(n, group)).forEach(each);
        }
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor[] saved = ctx.savedTensors();
        Tensor w2d = saved[0];
        int[] in = ctx.get("inputShape");
        int[] ws = ctx.get("weightShape");
        int[] stride = ctx.get("stride");
        int[] padding = ctx.get("padding");
        Tensor grad = gradOutputs[0];
        boolean kept = ctx.get("columnsKept");
        boolean correlate = ctx.get("correlate");
        int group = ctx.get("imagesPerGroup");
        int n = in[0], groups = groups(n, group);
        Options options = Options.of(grad.dtype(), grad.device());
        // one group makes the whole gradient itself; several (or none: an empty batch) fill slices of one
        Tensor[] gradInput = {ctx.needsInputGrad(0) && groups != 1 && !correlate ? Torch.empty(options, in) : null};
        // each group's share of the weight gradient, [C*kh*kw, outC], added up at the end
        Tensor[] parts = new Tensor[groups];
        boolean columnsNeeded = !correlate && (ctx.needsInputGrad(0) || ctx.needsInputGrad(1));
        forEachGroup(grad, columnsNeeded ? n : 0, group, (t, i, g) -> {
            // grad as [outC, g*outH*outW], the layout of the forward product's result
            Tensor grad2d = grad.narrow(0, i, g).permute(1, 0, 2, 3).reshape(ws[0], -1);
            if (ctx.needsInputGrad(0)) {
                int[] shape = {g, in[1], in[2], in[3]};
                Tensor gi = Torch.fold(w2d.t().mm(grad2d), shape, ws[2], ws[3], stride[0], stride[1], padding[0], padding[1]);
                if (groups == 1) {
                    gradInput[0] = gi;
                } else {
                    gradInput[0].narrow(0, i, g).copy_(gi);
                }
            }
            // cols . grad2d^T rather than grad2d . cols^T: transposing the small operand is the cheap copy
            if (ctx.needsInputGrad(1) && !correlate) {
                Tensor cols = kept ? saved[1 + t]
                        : Torch.unfold(saved[1].narrow(0, i, g), ws[2], ws[3], stride[0], stride[1], padding[0], padding[1]);
                parts[t] = cols.mm(grad2d.t());
            }
        });
        if (ctx.needsInputGrad(0) && correlate) {
            gradInput[0] = Torch.correlate2dInput(w2d.view(ws), grad);
        }
        Tensor gradWeight = null;
        if (ctx.needsInputGrad(1) && correlate) {
            gradWeight = Torch.correlate2dWeight(saved[1], grad, ws[2], ws[3]);
        } else if (ctx.needsInputGrad(1) && groups == 0) {
            gradWeight = Torch.zeros(options, ws);
        } else if (ctx.needsInputGrad(1)) {
            for (int p = 1; p < groups; p++) {
                parts[0] = parts[0].add_(parts[p]);
            }
            gradWeight = parts[0].t().reshape(ws);
        }
        return new Tensor[] {
            gradInput[0],
            gradWeight,
            ctx.needsInputGrad(2) ? grad.sum(new int[] {0, 2, 3}, false) : null,
            null,
            null,
        };
    }
}
