package dev.steptorch.nn.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NDArray;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;

/**
 * The notes' distance matrix by broadcasting (cat, unsqueeze, expand, sum(2)), its NumPy form, and a Gaussian kernel.
 *
 * <p>The notes' {@code guassian_kernel} stacks source and target samples into one [n, d] tensor
 * and makes two [n, n, d] views of it, one repeating it along the rows and one along the columns;
 * {@code expand} copies nothing, it sets a stride of 0. Their difference squared and summed over
 * d is every pairwise squared distance at once. The NumPy version avoids the [n, n, d]
 * intermediate by expanding the square: {@code |s - t|^2 = |s|^2 + |t|^2 - 2 s.t}, one matrix
 * product; it is given twice, in the notes' own NumPy words on step 1's arrays and with tensor
 * ops. The kernel, as in MMD code (the notes stop at the distances), sums
 * {@code exp(-d / bandwidth)} over five bandwidths spaced by factors of 2 around the mean distance.
 */
public final class DistanceAndKernel {
    private DistanceAndKernel() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "DistanceAndKernel",
                "The notes' distance matrix by broadcasting (cat, unsqueeze, expand, sum(2)), its NumPy form, and a Gaussian kernel.",
                "./lesson DistanceAndKernel");
        run(0, System.out);
    }

    /**
     * Draws 4 source and 3 target samples of dimension 2, prints the distance matrices and the
     * kernel; returns the largest difference between the two ways of computing the distances.
     */
    public static double run(long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Tensor source = Torch.randn(4, 2);
        Tensor target = Torch.randn(3, 2);

        Tensor l2 = pairwiseSquaredDistances(source, target);
        out.println("L2_distance, " + l2.size() + ":");
        out.println(l2);

        Tensor dists = distance(source, target);
        out.println("distance(source, target), " + dists.size() + ":");
        out.println(dists);

        NDArray numpyDists = distance(source.numpy(), target.numpy());
        out.println("the NumPy version on step 1's arrays:");
        out.println(numpyDists);

        // The source-to-target block of the first matrix is the second one.
        Tensor block = l2.narrow(0, 0, 4).narrow(1, 4, 3);
        double difference = block.sub(dists).abs().max().item();
        out.println("largest difference: " + NumPy.scalar(difference).str());

        Tensor kernel = gaussianKernel(source, target, 2.0, 5);
        out.println("gaussian kernel, " + kernel.size() + ":");
        out.println(kernel);
        return difference;
    }

    /** The notes' code: [n, n] squared distances between all rows of cat(source, target). */
    public static Tensor pairwiseSquaredDistances(Tensor source, Tensor target) {
        Tensor total = Torch.cat(0, source, target);
        int n = total.size(0);
        int d = total.size(1);
        // total0[i][j] = total[j], total1[i][j] = total[i]: stride-0 views, no copies
        Tensor total0 = total.unsqueeze(0).expand(n, n, d);
        Tensor total1 = total.unsqueeze(1).expand(n, n, d);
        return total0.sub(total1).pow(2).sum(2); // sum over the 2nd dimension, d
    }

    /** The NumPy version, dists[i][j] = |s_i|^2 + |t_j|^2 - 2 s_i.t_j, written with tensor ops. */
    public static Tensor distance(Tensor source, Tensor target) {
        int numTest = source.size(0);
        int numTrain = target.size(0);
        Tensor dists = Torch.zeros(numTest, numTrain);
        dists = dists.add(target.pow(2).sum(1).reshape(1, numTrain));
        dists = dists.add(source.pow(2).sum(1).reshape(numTest, 1));
        return dists.sub(source.mm(target.t()).mul(2));
    }

    /** The notes' NumPy function line by line: np.zeros, np.sum(x**2, axis=1).reshape, np.dot, .T. */
    public static NDArray distance(NDArray source, NDArray target) {
        int numTest = source.shape()[0];
        int numTrain = target.shape()[0];
        NDArray dists = NumPy.zeros(numTest, numTrain);
        dists.add_(NumPy.square(target).sum(1).reshape(1, numTrain));
        dists.add_(NumPy.square(source).sum(1).reshape(numTest, 1));
        dists.sub_(source.dot(target.T()).mul(2));
        return dists;
    }

    /** Sum over {@code kernelNum} bandwidths of exp(-L2 / bandwidth), bandwidths spaced by {@code kernelMul}. */
    public static Tensor gaussianKernel(Tensor source, Tensor target, double kernelMul, int kernelNum) {
        Tensor l2 = pairwiseSquaredDistances(source, target);
        int n = l2.size(0);
        // the mean distance between distinct samples (the diagonal is zero)
        double bandwidth = l2.sum().item() / (n * n - n);
        bandwidth /= Math.pow(kernelMul, kernelNum / 2);
        Tensor sum = Torch.zerosLike(l2);
        for (int i = 0; i < kernelNum; i++) {
            sum = sum.add(l2.neg().div(bandwidth * Math.pow(kernelMul, i)).exp());
        }
        return sum;
    }
}
