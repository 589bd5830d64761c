package dev.steptorch.nn;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * {@code nn.BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)}:
 * normalises each channel of [N, C, H, W] to mean 0 and variance 1, then scales and shifts it by
 * the learned weight (ones at first) and bias (zeros). In training the batch's statistics are
 * used and the running ones follow them; in eval the running ones are used, so one image gives
 * the same answer whatever batch it comes in.
 */
public class BatchNorm2d extends Module {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true, Options.DEFAULT);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        this(numFeatures, eps, momentum, affine, trackRunningStats, Options.DEFAULT);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats,
                       Options options) {
        if (numFeatures < 1) {
            throw new IllegalArgumentException("BatchNorm2d needs a positive num_features, got " + numFeatures);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        Options plain = options.withRequiresGrad(false);
        if (affine) {
            registerParameter("weight", Torch.ones(plain, numFeatures));
            registerParameter("bias", Torch.zeros(plain, numFeatures));
        } else {
            registerParameter("weight", null);
            registerParameter("bias", null);
        }
        if (trackRunningStats) {
            registerBuffer("running_mean", Torch.zeros(plain, numFeatures));
            registerBuffer("running_var", Torch.ones(plain, numFeatures));
            registerBuffer("num_batches_tracked", Torch.zeros(Options.of(DType.INT64, options.device()), new int[0]));
        } else {
            registerBuffer("running_mean", null);
            registerBuffer("running_var", null);
            registerBuffer("num_batches_tracked", null);
        }
    }

    public Tensor weight() {
        return param("weight");
    }

    public Tensor bias() {
        return param("bias");
    }

    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }

    public Tensor numBatchesTracked() {
        return buffer("num_batches_tracked");
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4 || input.size(1) != numFeatures) {
            throw new IllegalArgumentException(this + " expects input of shape [N, " + numFeatures + ", H, W], got "
                    + input.size());
        }
        if (isTraining() && input.numel() / numFeatures <= 1) {
            throw new IllegalArgumentException(this + " expects more than 1 value per channel when training, got input size "
                    + input.size());
        }
        boolean useBatchStats = isTraining() || !trackRunningStats;
        if (isTraining() && trackRunningStats) {
            try (var ignored = GradMode.noGrad()) {
                // add_(double) would make a float result, which an int64 buffer cannot hold
                numBatchesTracked().copy_(numBatchesTracked().add(1L));
            }
        }
        return F.batchNorm(input, runningMean(), runningVar(), weight(), bias(), useBatchStats, momentum, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.floatRepr(eps) + ", momentum=" + PyRepr.floatRepr(momentum) + ", affine="
                + PyRepr.bool(affine) + ", track_running_stats=" + PyRepr.bool(trackRunningStats);
    }
}
