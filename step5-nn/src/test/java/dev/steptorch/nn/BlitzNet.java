package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/** The LeNet of the 60-minute blitz, as in the tutorial; 1 input channel there, 3 in the CIFAR-10 one. */
class BlitzNet extends Module {
    BlitzNet(int inChannels) {
        registerModule("conv1", new Conv2d(inChannels, 6, 5));
        registerModule("conv2", new Conv2d(6, 16, 5));
        registerModule("fc1", new Linear(16 * 5 * 5, 120));
        registerModule("fc2", new Linear(120, 84));
        registerModule("fc3", new Linear(84, 10));
    }

    private Module child(String name) {
        return namedChildren().get(name);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = F.maxPool2d(F.relu(child("conv1").call(input)), 2);
        x = F.maxPool2d(F.relu(child("conv2").call(x)), 2);
        x = F.flatten(x, 1);
        x = F.relu(child("fc1").call(x));
        x = F.relu(child("fc2").call(x));
        return child("fc3").call(x);
    }

    @Override
    protected String typeName() {
        return "Net";
    }
}
