package dev.steptorch.vision.bench;

import dev.steptorch.cli.Cli;
import dev.steptorch.data.Batch;
import dev.steptorch.data.Collate;
import dev.steptorch.data.DataLoader;
import dev.steptorch.data.Sample;
import dev.steptorch.vision.CIFAR10;
import dev.steptorch.vision.transforms.Compose;
import dev.steptorch.vision.transforms.Normalize;
import dev.steptorch.vision.transforms.ToTensor;
import dev.steptorch.vision.transforms.Transform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * How fast the input pipeline feeds a training loop: collating 12500 batches of 4 (one CIFAR-10
 * training epoch) by filling one array versus {@code cat} of unsqueezed tensors, then whole epochs
 * of CIFAR10 + ToTensor + Normalize through a shuffling DataLoader with 0 and 2 workers.
 *
 * <p>Usage: {@code CifarLoaderBenchmark DIR} where DIR holds the CIFAR-10 binary files.
 */
public final class CifarLoaderBenchmark {
    private CifarLoaderBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Cli.Values v = Cli.lesson(args, "CifarLoaderBenchmark", "Times CIFAR-10's DataLoader alone, with 0, 1, 2 and 4 "
                + "workers.", "CifarLoaderBenchmark ~/cifar10",
                new Cli.Value("CIFAR10_DIR", String.class, "folder with CIFAR-10's binary files (required)", null));
        Cli.require(v.get(0) != null, "CifarLoaderBenchmark", "CIFAR10_DIR is missing: the folder with CIFAR-10's binary files");
        String dir = v.get(0);
        Cli.run("CifarLoaderBenchmark", () -> run(Path.of(dir)));
    }

    private static void run(Path dir) throws IOException {
        Transform transform = new Compose(new ToTensor(),
                new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5}));
        CIFAR10 train = new CIFAR10(dir, true, transform);

        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            samples.add(train.get(i, new Random(i)));
        }
        for (int repeat = 0; repeat < 2; repeat++) {
            collate("fill one float[]", Collate::stack, samples);
            collate("cat of unsqueezed", Collate::stackWithCat, samples);
        }

        for (int workers : new int[] {0, 2}) {
            DataLoader<Sample, Batch> loader = DataLoader.builder(train).batchSize(4).shuffle(true).numWorkers(workers).seed(0).build();
            epoch(loader); // warm-up
            for (int round = 1; round <= 3; round++) {
                long t = System.nanoTime();
                int images = epoch(loader);
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf("DataLoader(batch 4, shuffle, numWorkers=%d), epoch %d: %d images in %.2f s = %.0f images/s%n",
                        workers, round, images, s, images / s);
            }
        }
    }

    /** Best of five rounds, so JIT warm-up and other load on the machine do not decide the comparison. */
    private static void collate(String name, Function<List<Sample>, Batch> fn, List<Sample> samples) {
        double best = Double.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            long t = System.nanoTime();
            for (int b = 0; b < 12_500; b++) {
                sink += fn.apply(samples).labels().size(0);
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("collate, %s: 12500 batches of 4 in %.3f s = %.1f ms per 1000 batches (%d images)%n",
                name, best, best / 12.5 * 1000, sink);
    }

    private static int epoch(DataLoader<Sample, Batch> loader) {
        int images = 0;
        for (Batch b : loader) {
            images += b.size();
        }
        return images;
    }
}
