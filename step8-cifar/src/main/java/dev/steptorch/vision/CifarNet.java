package dev.steptorch.vision;

import dev.steptorch.nn.Conv2d;
import dev.steptorch.nn.F;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MaxPool2d;
import dev.steptorch.nn.Module;
import dev.steptorch.tensor.Tensor;

/**
 * The blitz's classifier: conv 3->6 (5x5), pool, conv 6->16 (5x5), pool, then 400 -> 120 -> 84 ->
 * 10 fully connected, ReLU between. It prints as {@code Net}, the name it has in the course.
 */
public class CifarNet extends Module {
    private final Conv2d conv1;
    private final MaxPool2d pool;
    private final Conv2d conv2;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;

    public CifarNet() {
        this(10);
    }

    public CifarNet(int classes) {
        conv1 = registerModule("conv1", new Conv2d(3, 6, 5));
        pool = registerModule("pool", new MaxPool2d(2, 2));
        conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
        fc1 = registerModule("fc1", new Linear(16 * 5 * 5, 120));
        fc2 = registerModule("fc2", new Linear(120, 84));
        fc3 = registerModule("fc3", new Linear(84, classes));
    }

    /** The layers of {@code body} (shared, not copied) under a new last layer; see {@link #withFc3}. */
    private CifarNet(CifarNet body, Linear head) {
        conv1 = registerModule("conv1", body.conv1);
        pool = registerModule("pool", body.pool);
        conv2 = registerModule("conv2", body.conv2);
        fc1 = registerModule("fc1", body.fc1);
        fc2 = registerModule("fc2", body.fc2);
        fc3 = registerModule("fc3", head);
        train(body.isTraining());
    }

    /** The last layer, the one transfer learning replaces (torchvision ResNet's {@code model.fc}). */
    public Linear fc3() {
        return fc3;
    }

    /**
     * This network with {@code head} as its last layer, PyTorch's {@code model.fc3 = nn.Linear(84, 2)}.
     *
     * <p>A module's children are registered once and for good here, so instead of swapping the
     * layer in place this returns a new network that shares every other layer, parameters included,
     * with this one: write {@code net = net.withFc3(head)} and drop the old reference, so that only
     * one network owns those layers. Settings made before, such as frozen parameters, carry over.
     */
    public CifarNet withFc3(Linear head) {
        int features = fc2.weight().size(0);
        if (head.weight().dim() != 2 || head.weight().size(1) != features) {
            throw new IllegalArgumentException("the new fc3 must take the " + features + " features of fc2, got a layer with "
                    + "weight of shape " + head.weight().size() + " (expected [classes, " + features + "])");
        }
        return new CifarNet(this, head);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = pool.call(F.relu(conv1.call(x)));
        x = pool.call(F.relu(conv2.call(x)));
        x = x.view(-1, 16 * 5 * 5);
        x = F.relu(fc1.call(x));
        x = F.relu(fc2.call(x));
        return fc3.call(x);
    }

    @Override
    protected String typeName() {
        return "Net";
    }
}
