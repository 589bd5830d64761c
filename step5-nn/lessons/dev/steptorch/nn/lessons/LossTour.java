package dev.steptorch.nn.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.nn.BCELoss;
import dev.steptorch.nn.CrossEntropyLoss;
import dev.steptorch.nn.LeakyReLU;
import dev.steptorch.nn.LogSoftmax;
import dev.steptorch.nn.NLLLoss;
import dev.steptorch.nn.Reduction;
import dev.steptorch.nn.Sigmoid;
import dev.steptorch.nn.Softmax;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;

/**
 * Softmax, LogSoftmax, CrossEntropyLoss = LogSoftmax + NLLLoss, BCELoss after Sigmoid, and LeakyReLU, printed.
 *
 * <p>Softmax turns a row of scores into probabilities, {@code exp(x_i) / sum_j exp(x_j)};
 * LogSoftmax is its logarithm, computed without forming the softmax. NLLLoss picks the
 * log-probability of each sample's class and negates it, so CrossEntropyLoss on raw scores is
 * exactly NLLLoss after LogSoftmax: {@code -x[class] + log(sum_j exp(x[j]))}. BCELoss wants
 * probabilities, so a Sigmoid goes in front of it; its targets are 0 or 1, one per output, which
 * suits multi-label problems. LeakyReLU lets negative inputs through with a small slope.
 */
public final class LossTour {
    private LossTour() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "LossTour",
                "Softmax, LogSoftmax, CrossEntropyLoss = LogSoftmax + NLLLoss, BCELoss after Sigmoid, and LeakyReLU, printed.",
                "./lesson LossTour");
        run(0, System.out);
    }

    /** Prints the tour; returns |CrossEntropyLoss - NLLLoss(LogSoftmax)|, which should be zero up to rounding. */
    public static double run(long seed, PrintStream out) {
        Torch.manualSeed(seed);

        // Three samples, five classes: raw scores (logits), as a last Linear layer gives them.
        Tensor scores = Torch.randn(Options.requiresGrad(true), 3, 5);
        Tensor classes = Torch.tensor(new long[] {1, 0, 4});
        out.println("scores:");
        out.println(scores);

        Softmax softmax = new Softmax(1);
        Tensor probabilities = softmax.call(scores);
        out.println(softmax);
        out.println(probabilities);
        out.println("row sums: " + probabilities.sum(1));

        LogSoftmax logSoftmax = new LogSoftmax(1);
        Tensor logProbabilities = logSoftmax.call(scores);
        out.println(logSoftmax);
        out.println(logProbabilities);

        // CrossEntropyLoss combines LogSoftmax and NLLLoss in one class.
        Tensor crossEntropy = new CrossEntropyLoss().call(scores, classes);
        Tensor nll = new NLLLoss().call(logProbabilities, classes);
        out.println("CrossEntropyLoss:        " + crossEntropy);
        out.println("NLLLoss(LogSoftmax(x)):  " + nll);

        // The formula, per sample: -x[class] + log(sum_j exp(x[j])).
        Tensor perSample = new CrossEntropyLoss(Reduction.NONE).call(scores, classes);
        Tensor byHand = scores.exp().sum(1).log().sub(scores.detach().mul(oneHot(classes, 5)).sum(1));
        out.println("per sample:              " + perSample);
        out.println("-x[class] + log(sum exp): " + byHand);

        // BCELoss: probabilities from a Sigmoid, targets 0 or 1 of the same shape.
        Sigmoid m = new Sigmoid();
        Tensor input = Torch.randn(Options.requiresGrad(true), 3);
        Tensor target = Torch.tensor(new double[] {0, 1, 1});
        Tensor bce = new BCELoss().call(m.call(input), target);
        bce.backward();
        out.println("BCELoss(Sigmoid(x), y):  " + bce);
        out.println("x.grad:                  " + input.grad());

        LeakyReLU leaky = new LeakyReLU(0.01);
        out.println(leaky);
        out.println(leaky.call(Torch.tensor(new double[] {-2, -0.5, 0, 1.5})));

        return Math.abs(crossEntropy.item() - nll.item());
    }

    /** Row n is 1 at column classes[n] and 0 elsewhere. */
    private static Tensor oneHot(Tensor classes, int count) {
        Tensor columns = Torch.arange(0, count, 1, Options.dtype(DType.INT64));
        return columns.unsqueeze(0).eq(classes.unsqueeze(1)).to(DType.FLOAT32);
    }
}
