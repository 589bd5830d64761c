package dev.steptorch.optim.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.nn.Conv2d;
import dev.steptorch.nn.Flatten;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MaxPool2d;
import dev.steptorch.nn.Module;
import dev.steptorch.nn.ReLU;
import dev.steptorch.nn.Sequential;
import dev.steptorch.optim.ParamGroup;
import dev.steptorch.optim.SGD;
import dev.steptorch.optim.StepLR;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameter groups: SGD with lr 1e-5 for the features and 1e-2 for the classifier, then a StepLR over both.
 *
 * <p>The notes' fine-tuning recipe: a pretrained feature extractor should barely move, a new
 * classifier on top of it should learn fast. The optimizer takes a list of groups instead of a
 * list of parameters; a group that sets no lr takes the one given to the optimizer. One step then
 * moves each parameter by its own group's lr times its gradient, which the lesson measures.
 * Schedulers act on every group: a StepLR with gamma 0.1 divides both rates by ten together.
 */
public final class ParamGroups {
    private ParamGroups() {
    }

    /** A small network with the two parts the notes name: {@code features} and a classifier. */
    public static final class Net extends Module {
        private final Sequential features = registerModule("features", new Sequential(
                new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten()));
        private final Sequential classifier = registerModule("classifier", new Sequential(
                new Linear(4 * 3 * 3, 10)));

        public Sequential features() {
            return features;
        }

        public Sequential classifier() {
            return classifier;
        }

        @Override
        public Tensor forward(Tensor x) {
            return classifier.call(features.call(x));
        }
    }

    public static void main(String[] args) {
        Cli.lesson(args, "ParamGroups",
                "Parameter groups: SGD with lr 1e-5 for the features and 1e-2 for the classifier, then a StepLR over both.",
                "./lesson ParamGroups");
        run(0, System.out);
    }

    /**
     * Prints the groups, takes one step and returns, for each group, the largest
     * |change of a parameter| / |its gradient|, which is that group's lr.
     */
    public static List<Double> run(long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Net net = new Net();
        out.println(net);

        // optim.SGD([{'params': net.features.parameters()},
        //            {'params': net.classifier.parameters(), 'lr': 1e-2}], lr=1e-5)
        SGD optimizer = new SGD(List.of(
                ParamGroup.of(net.features().parameters()),
                ParamGroup.of(net.classifier().parameters()).lr(1e-2)),
                SGD.defaults().lr(1e-5));
        out.println(optimizer);
        for (ParamGroup group : optimizer.paramGroups()) {
            out.println(group.params().size() + " params, lr " + NumPy.scalar(group.lr()).str());
        }

        // One step on random data, keeping the weights from before it.
        List<Tensor> before = new ArrayList<>();
        net.parameters().forEach(p -> before.add(p.detach().clone()));
        Tensor loss = net.call(Torch.randn(2, 1, 8, 8)).pow(2).sum();
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();

        // Each parameter moved by exactly its own group's lr times its gradient.
        List<Double> measured = new ArrayList<>();
        int i = 0;
        for (ParamGroup group : optimizer.paramGroups()) {
            double ratio = 0;
            for (Tensor p : group.params()) {
                Tensor change = before.get(i++).sub(p.detach());
                ratio = Math.max(ratio, change.abs().max().item() / p.grad().abs().max().item());
            }
            measured.add(ratio);
            out.println("group with lr " + NumPy.scalar(group.lr()).str() + ": step / gradient = " + String.format("%.4g", ratio));
        }

        // A scheduler changes every group's lr: StepLR(step_size=1, gamma=0.1) divides both by 10 each epoch.
        StepLR scheduler = new StepLR(optimizer, 1, 0.1);
        for (int epoch = 0; epoch < 2; epoch++) {
            optimizer.step(); // stands in for an epoch of training; the scheduler steps after the optimizer
            scheduler.step();
            out.println("after epoch " + epoch + ": lr " + scheduler.getLastLr().stream().map(lr -> NumPy.scalar(lr).str()).toList());
        }
        return measured;
    }
}
