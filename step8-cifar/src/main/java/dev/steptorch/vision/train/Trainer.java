package dev.steptorch.vision.train;

import dev.steptorch.data.Batch;
import dev.steptorch.nn.Module;
import dev.steptorch.optim.Optimizer;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One epoch of the blitz's training loop: for each mini-batch, zero the gradients, forward,
 * loss, backward, step; every {@code printEvery} mini-batches print the average loss of the last
 * {@code printEvery} as {@code [epoch, i] loss: x.xxx}.
 */
public final class Trainer {
    private final Module model;
    private final Module criterion;
    private final Optimizer optimizer;
    private final Device device;
    private final int printEvery;

    public Trainer(Module model, Module criterion, Optimizer optimizer, Device device, int printEvery) {
        this.model = model;
        this.criterion = criterion;
        this.optimizer = optimizer;
        this.device = device;
        this.printEvery = printEvery;
    }

    /**
     * Trains for one epoch (numbered from 1 in the printout, as the course's {@code epoch + 1}).
     * Returns the loss of every mini-batch; {@code progress} (nullable) shows a bar with elapsed
     * time and ETA, and the epoch's time at its end.
     */
    public List<Double> epoch(int epoch, Iterable<Batch> batches, int batchCount, PrintStream out, PrintStream progress) {
        model.train();
        List<Double> losses = new ArrayList<>(batchCount);
        ProgressBar bar = new ProgressBar(progress, "epoch " + epoch, batchCount);
        double running = 0;
        long images = 0;
        int i = 0;
        for (Batch batch : batches) {
            Tensor inputs = batch.images().to(device);
            Tensor labels = batch.labels().to(device);

            double value = step(inputs, labels).item();
            losses.add(value);
            running += value;
            images += batch.size();
            i++;
            if (i % printEvery == 0) {
                bar.clear();
                out.printf("[%d, %5d] loss: %.3f%n", epoch, i, running / printEvery);
                running = 0;
            }
            bar.update(i, images);
        }
        bar.finish(i);
        return losses;
    }

    /** One optimisation step on one mini-batch, the course's four lines; returns the loss before the update. */
    public Tensor step(Tensor inputs, Tensor labels) {
        // BEGIN SOLUTION step8.training-step
        optimizer.zeroGrad();
        Tensor loss = criterion.call(model.call(inputs), labels);
        loss.backward();
        optimizer.step();
        return loss;
        // END SOLUTION
    }
}
