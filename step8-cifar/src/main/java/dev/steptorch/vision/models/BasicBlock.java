package dev.steptorch.vision.models;

import dev.steptorch.nn.Module;
import dev.steptorch.nn.ReLU;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;

/**
 * torchvision's {@code BasicBlock} (ResNet-18/34): two 3x3 convolutions with BatchNorm, and the
 * input added back before the last ReLU. When the block changes stride or width, {@code downsample}
 * (a 1x1 convolution and BatchNorm) brings the input to the output's shape first.
 */
public class BasicBlock extends Module {
    public static final int EXPANSION = 1;

    public BasicBlock(int inplanes, int planes, int stride, Module downsample, Options options) {
        registerModule("conv1", ResNet.conv3x3(inplanes, planes, stride, options));
        registerModule("bn1", ResNet.batchNorm(planes, options));
        registerModule("relu", new ReLU(true));
        registerModule("conv2", ResNet.conv3x3(planes, planes, 1, options));
        registerModule("bn2", ResNet.batchNorm(planes, options));
        if (downsample != null) {
            registerModule("downsample", downsample);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        var m = namedChildren();
        Tensor out = m.get("relu").call(m.get("bn1").call(m.get("conv1").call(x)));
        out = m.get("bn2").call(m.get("conv2").call(out));
        Module downsample = m.get("downsample");
        Tensor identity = downsample == null ? x : downsample.call(x);
        return m.get("relu").call(out.add(identity));
    }
}
