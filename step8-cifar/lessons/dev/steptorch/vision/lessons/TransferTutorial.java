package dev.steptorch.vision.lessons;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.cli.Cli;
import dev.steptorch.data.Batch;
import dev.steptorch.data.DataLoader;
import dev.steptorch.data.Sample;
import dev.steptorch.nn.Checkpoints;
import dev.steptorch.nn.CrossEntropyLoss;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.Module;
import dev.steptorch.optim.SGD;
import dev.steptorch.optim.StepLR;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.vision.ImageFolder;
import dev.steptorch.vision.VisionUtils;
import dev.steptorch.vision.models.ResNet;
import dev.steptorch.vision.transforms.CenterCrop;
import dev.steptorch.vision.transforms.Compose;
import dev.steptorch.vision.transforms.Normalize;
import dev.steptorch.vision.transforms.RandomHorizontalFlip;
import dev.steptorch.vision.transforms.RandomResizedCrop;
import dev.steptorch.vision.transforms.Resize;
import dev.steptorch.vision.transforms.ToTensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The course's transfer-learning tutorial itself, run by {@code TransferLearning} when {@code --data}
 * holds {@code train/} and {@code val/} (ants and bees): ResNet-18, the tutorial's transforms,
 * batch 4, {@code train_model} with its phases and printouts, finetuning and the fixed feature
 * extractor, and {@code visualize_model} as PNG files.
 *
 * <pre>
 * ./lesson TransferLearning --data hymenoptera_data [--weights resnet18-f37072fd.pth] [--device gpu]
 * ./lesson TransferLearning --data hymenoptera_data --help   every option with its default
 * </pre>
 */
public final class TransferTutorial {
    /** torchvision's file for {@code models.resnet18(weights="IMAGENET1K_V1")}, which PyTorch caches in ~/.cache/torch/hub/checkpoints/. */
    public static final String WEIGHTS_URL = "https://download.pytorch.org/models/resnet18-f37072fd.pth";
    static final double[] MEAN = {0.485, 0.456, 0.406};
    static final double[] STD = {0.229, 0.224, 0.225};

    private TransferTutorial() {
    }

    /** The tutorial's settings, and its command line (TransferLearning with --data holding train/ and val/). */
    @Command(name = "TransferLearning", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
            description = {"The course's transfer-learning tutorial on ResNet-18, run when --data holds train/ and val/",
                    "(hymenoptera_data): train_model's printouts, finetuning and the fixed feature extractor."},
            footerHeading = "%nExample:%n",
            footer = "  ./lesson TransferLearning --data hymenoptera_data --weights resnet18-f37072fd.pth --epochs 5")
    public static final class Settings implements Cli.Validated {
        @Option(names = "--data", paramLabel = "DIR", description = "folder with train/ and val/, one subfolder per class")
        public Path data;
        @Option(names = "--weights", paramLabel = "FILE", description = "torchvision's resnet18 .pth (ImageNet weights); "
                + "without it the network starts from random weights")
        public Path weights;
        @Option(names = "--device", paramLabel = "cpu|gpu", description = "where to train (default: cpu)")
        public Device device = Device.CPU;
        @Option(names = "--epochs", paramLabel = "N", description = "the tutorial's num_epochs (default: ${DEFAULT-VALUE})")
        public int epochs = 25;
        @Option(names = "--mode", paramLabel = "both|finetune|feature", description = "which of the two trainings "
                + "(default: ${DEFAULT-VALUE})")
        public String mode = "both";
        @Option(names = "--batch-size", paramLabel = "N", description = "images per mini-batch (default: ${DEFAULT-VALUE})")
        public int batchSize = 4;
        @Option(names = "--workers", paramLabel = "N", description = "DataLoader worker threads (default: ${DEFAULT-VALUE})")
        public int workers = 4;
        @Option(names = "--seed", paramLabel = "N", description = "seed of everything random (default: ${DEFAULT-VALUE})")
        public long seed = 0;
        @Option(names = "--width", paramLabel = "N", description = "the first stage's width; smaller runs a narrower "
                + "ResNet, for quick tries (default: ${DEFAULT-VALUE})")
        public int width = 64;
        @Option(names = "--out", paramLabel = "DIR", description = "where pictures and models go (default: ${DEFAULT-VALUE})")
        public Path out = Path.of("runs", "transfer");

        /**
         * Parses a command line as {@code main} does, but throws IllegalArgumentException with the
         * one-line message instead of exiting; for tests.
         */
        public static Settings parse(String[] args) {
            return Cli.parseOrThrow(new Settings(), args);
        }

        @Override
        public void validate() {
            if (!List.of("both", "finetune", "feature").contains(mode)) {
                throw new IllegalArgumentException("--mode must be both, finetune or feature, got " + mode);
            }
            TrainCifar.Settings.positive("--epochs", epochs);
            TrainCifar.Settings.positive("--batch-size", batchSize);
            TrainCifar.Settings.positive("--width", width);
            if (workers < 0) {
                throw new IllegalArgumentException("--workers must be 0 or more, not " + workers);
            }
        }
    }

    /** One phase of one epoch: what the tutorial prints. */
    public record PhaseStats(int epoch, String phase, double loss, double acc, double seconds) {
    }

    /** What one training produced. */
    public record Result(String mode, List<PhaseStats> phases, double bestAcc, double seconds) {
    }

    /** data_transforms: augmentation for training, a fixed centre crop for validation, ImageNet's normalisation for both. */
    static Map<String, ImageFolder> datasets(Path data) throws IOException {
        Normalize normalize = new Normalize(MEAN, STD);
        Map<String, ImageFolder> sets = new LinkedHashMap<>();
        sets.put("train", new ImageFolder(data.resolve("train"),
                new Compose(new RandomResizedCrop(224), new RandomHorizontalFlip(), new ToTensor(), normalize)));
        sets.put("val", new ImageFolder(data.resolve("val"), new Compose(new Resize(256), new CenterCrop(224), new ToTensor(),
                normalize)));
        if (!sets.get("train").classes().equals(sets.get("val").classes())) {
            throw new IOException("train and val hold different classes: " + sets.get("train").classes() + " vs "
                    + sets.get("val").classes());
        }
        return sets;
    }

    public static List<Result> run(Settings s, PrintStream out) throws IOException {
        Map<String, ImageFolder> sets = datasets(s.data);
        List<String> classNames = sets.get("train").classes();
        Files.createDirectories(s.out);
        out.printf("classes %s: %d train and %d val images%n", classNames, sets.get("train").size(), sets.get("val").size());
        // "Visualize a few images": one training batch, titled with its classes
        Batch first = loader(sets.get("train"), s, "train", -1).iterator().next();
        List<String> titles = new ArrayList<>();
        for (long l : first.labels().toLongArray()) {
            titles.add("'" + classNames.get((int) l) + "'");
        }
        // the title is a Python list, as matplotlib shows title=[class_names[x] for x in classes]
        imshow(VisionUtils.makeGrid(first.images(), 8), "[" + String.join(", ", titles) + "]", s.out.resolve("batch.png"));
        if (s.weights == null) {
            out.println("no --weights: training from random weights. The tutorial starts from torchvision's ImageNet weights,");
            out.println("  " + WEIGHTS_URL);
            out.println("  (what models.resnet18(weights='IMAGENET1K_V1') downloads); pass that file with --weights.");
        }
        List<Result> results = new ArrayList<>();
        for (String mode : s.mode.equals("both") ? List.of("finetune", "feature") : List.of(s.mode)) {
            out.println(mode.equals("finetune") ? "== Finetuning the convnet ==" : "== ConvNet as fixed feature extractor ==");
            ResNet model = pretrained(s, out);
            // num_ftrs = model.fc.in_features; model.fc = nn.Linear(num_ftrs, len(class_names))
            if (mode.equals("feature")) {
                model.requiresGrad_(false);
            }
            int numFtrs = model.fc().inFeatures();
            model.setModule("fc", new Linear(numFtrs, classNames.size()));
            model.to(s.device);
            // finetuning optimises everything; the feature extractor only the new layer
            List<Tensor> params = mode.equals("feature") ? model.fc().parameters() : model.parameters();
            SGD optimizer = new SGD(params, SGD.defaults().lr(0.001).momentum(0.9));
            StepLR scheduler = new StepLR(optimizer, 7, 0.1);
            Result r = trainModel(mode, model, new CrossEntropyLoss(), optimizer, scheduler, sets, s, out);
            results.add(r);
            visualizeModel(model, sets.get("val"), classNames, 6, s, s.out.resolve("visualize_" + mode + ".png"));
            out.println("predictions on validation images: " + s.out.resolve("visualize_" + mode + ".png"));
            out.println();
        }
        return results;
    }

    /** {@code models.resnet18(weights=...)}: torchvision's tree, with the weights of --weights (.pth or .safetensors) if given. */
    static ResNet pretrained(Settings s, PrintStream out) throws IOException {
        ResNet model = new ResNet(new ResNet.Config("BasicBlock", new int[] {2, 2, 2, 2}, 1000, s.width));
        if (s.weights != null) {
            Checkpoints.loadStateDict(model, s.weights, true);
            out.println("loaded " + s.weights);
        }
        return model;
    }

    static DataLoader<Sample, Batch> loader(ImageFolder set, Settings s, String phase, int epoch) {
        return DataLoader.builder(set).batchSize(s.batchSize).shuffle(true).numWorkers(s.workers)
                .seed(s.seed * 1000 + epoch + (phase.equals("val") ? 500 : 0)).build();
    }

    /** The tutorial's {@code train_model}: a train and a val phase per epoch, keeping the weights of the best val accuracy. */
    public static Result trainModel(String mode, Module model, CrossEntropyLoss criterion, SGD optimizer, StepLR scheduler,
                                    Map<String, ImageFolder> sets, Settings s, PrintStream out) {
        long since = System.nanoTime();
        Map<String, Tensor> bestWeights = copyOf(model.stateDict());
        double bestAcc = 0;
        List<PhaseStats> phases = new ArrayList<>();
        for (int epoch = 0; epoch < s.epochs; epoch++) {
            out.printf("Epoch %d/%d%n%s%n", epoch, s.epochs - 1, "-".repeat(10));
            for (String phase : List.of("train", "val")) {
                long start = System.nanoTime();
                boolean training = phase.equals("train");
                model.train(training);
                double runningLoss = 0;
                long runningCorrects = 0;
                for (Batch batch : loader(sets.get(phase), s, phase, epoch)) {
                    Tensor inputs = batch.images().to(s.device);
                    Tensor labels = batch.labels().to(s.device);
                    optimizer.zeroGrad();
                    Tensor outputs;
                    Tensor loss;
                    // torch.set_grad_enabled(phase == 'train')
                    try (var ignored = training ? null : GradMode.noGrad()) {
                        outputs = model.call(inputs);
                        loss = criterion.call(outputs, labels);
                        if (training) {
                            loss.backward();
                            optimizer.step();
                        }
                    }
                    long[] preds = outputs.argmax(1, false).toLongArray();
                    long[] truth = labels.toLongArray();
                    for (int i = 0; i < truth.length; i++) {
                        runningCorrects += preds[i] == truth[i] ? 1 : 0;
                    }
                    runningLoss += loss.item() * inputs.size(0);
                }
                if (training) {
                    scheduler.step();
                }
                int n = sets.get(phase).size();
                double epochLoss = runningLoss / n;
                double epochAcc = (double) runningCorrects / n;
                out.printf("%s Loss: %.4f Acc: %.4f%n", phase, epochLoss, epochAcc);
                phases.add(new PhaseStats(epoch, phase, epochLoss, epochAcc, (System.nanoTime() - start) / 1e9));
                if (!training && epochAcc > bestAcc) {
                    bestAcc = epochAcc;
                    bestWeights = copyOf(model.stateDict());
                }
            }
            out.println();
        }
        double elapsed = (System.nanoTime() - since) / 1e9;
        out.printf("Training complete in %.0fm %.0fs%n", Math.floor(elapsed / 60), elapsed % 60);  // as the tutorial rounds
        out.printf("Best val Acc: %4f%n", bestAcc);
        model.loadStateDict(bestWeights, true);
        return new Result(mode, phases, bestAcc, elapsed);
    }

    /** {@code copy.deepcopy(model.state_dict())}: state_dict tensors share storage with the model. */
    private static Map<String, Tensor> copyOf(Map<String, Tensor> state) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        state.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** {@code visualize_model}: the first {@code numImages} validation images, each titled with its prediction, in one PNG. */
    static void visualizeModel(Module model, ImageFolder val, List<String> classNames, int numImages, Settings s, Path file)
            throws IOException {
        boolean wasTraining = model.isTraining();
        model.eval();
        List<Tensor> shown = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        try (var ignored = GradMode.noGrad()) {
            for (Batch batch : loader(val, s, "val", -1)) {
                long[] preds = model.call(batch.images().to(s.device)).argmax(1, false).toLongArray();
                for (int j = 0; j < preds.length && shown.size() < numImages; j++) {
                    shown.add(batch.images().select(0, j));
                    titles.add("predicted: " + classNames.get((int) preds[j]));
                }
                if (shown.size() >= numImages) {
                    break;
                }
            }
        }
        model.train(wasTraining);
        // matplotlib's subplot(num_images // 2, 2, k): two columns, each image under its own title
        List<BufferedImage> parts = new ArrayList<>();
        for (int k = 0; k < shown.size(); k++) {
            parts.add(VisionUtils.titledImage(unnormalize(shown.get(k)), titles.get(k)));
        }
        int w = parts.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int h = parts.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage grid = new BufferedImage(2 * w, Math.max(1, h * ((parts.size() + 1) / 2)), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int k = 0; k < parts.size(); k++) {
            g.drawImage(parts.get(k), (k % 2) * w, (k / 2) * h, null);
        }
        g.dispose();
        VisionUtils.savePng(grid, file);
    }

    /** The tutorial's {@code imshow(inp, title)}: undoes the normalisation, clips to [0, 1], and shows (writes) it titled. */
    static void imshow(Tensor inp, String title, Path file) throws IOException {
        VisionUtils.saveTitledImage(unnormalize(inp), title, file);
    }

    /** {@code std * inp + mean}, clipped to [0, 1]. */
    static Tensor unnormalize(Tensor inp) {
        Tensor mean = Torch.tensor(MEAN).view(3, 1, 1).to(inp.dtype());
        Tensor std = Torch.tensor(STD).view(3, 1, 1).to(inp.dtype());
        return inp.cpu().mul(std).add(mean).clamp(0, 1);
    }
}
