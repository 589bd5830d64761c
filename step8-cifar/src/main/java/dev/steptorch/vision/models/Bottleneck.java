package dev.steptorch.vision.models;

import dev.steptorch.nn.Module;
import dev.steptorch.nn.ReLU;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;

/**
 * torchvision's {@code Bottleneck} (ResNet-50 and up): 1x1 down to {@code planes}, 3x3 (carrying
 * the stride, as torchvision's "ResNet V1.5" does), 1x1 up to {@code 4 * planes}, each with
 * BatchNorm, plus the (downsampled) input before the last ReLU.
 */
public class Bottleneck extends Module {
    public static final int EXPANSION = 4;

    public Bottleneck(int inplanes, int planes, int stride, Module downsample, Options options) {
        registerModule("conv1", ResNet.conv1x1(inplanes, planes, 1, options));
        registerModule("bn1", ResNet.batchNorm(planes, options));
        registerModule("conv2", ResNet.conv3x3(planes, planes, stride, options));
        registerModule("bn2", ResNet.batchNorm(planes, options));
        registerModule("conv3", ResNet.conv1x1(planes, planes * EXPANSION, 1, options));
        registerModule("bn3", ResNet.batchNorm(planes * EXPANSION, options));
        registerModule("relu", new ReLU(true));
        if (downsample != null) {
            registerModule("downsample", downsample);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        var m = namedChildren();
        Module relu = m.get("relu");
        Tensor out = relu.call(m.get("bn1").call(m.get("conv1").call(x)));
        out = relu.call(m.get("bn2").call(m.get("conv2").call(out)));
        out = m.get("bn3").call(m.get("conv3").call(out));
        Module downsample = m.get("downsample");
        Tensor identity = downsample == null ? x : downsample.call(x);
        return relu.call(out.add(identity));
    }
}
