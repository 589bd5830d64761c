package dev.steptorch.vision.models;

import dev.steptorch.nn.AdaptiveAvgPool2d;
import dev.steptorch.nn.BatchNorm2d;
import dev.steptorch.nn.Conv2d;
import dev.steptorch.nn.F;
import dev.steptorch.nn.Init;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MaxPool2d;
import dev.steptorch.nn.Module;
import dev.steptorch.nn.ReLU;
import dev.steptorch.nn.SavedModel;
import dev.steptorch.nn.Sequential;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision's {@code models.ResNet}, module for module: the same tree, the same parameter and
 * buffer names ({@code layer1.0.conv1.weight}, {@code bn1.running_mean}, {@code fc.weight}), the
 * same printing and the same initialisation, so torchvision's state_dict files load into it as
 * they are. {@link #resnet18()}, {@link #resnet34()}, {@link #resnet50()} are torchvision's
 * constructors (random weights; load pretrained ones with {@code Checkpoints.loadStateDict}).
 *
 * <p>{@code width} is the first stage's channel count, 64 in torchvision; a smaller one keeps the
 * tree and the names but shrinks every layer, which the tests use to compare against PyTorch with
 * small reference files.
 */
public class ResNet extends Module implements SavedModel.Described {
    /** The factory name under which {@link SavedModel} files record a ResNet. */
    public static final String FACTORY = "torchvision.resnet";

    /** What builds a ResNet: block kind ("BasicBlock" or "Bottleneck"), blocks per stage, classes, first width. */
    public record Config(String block, int[] layers, int numClasses, int width) {
        public Config {
            if (!block.equals("BasicBlock") && !block.equals("Bottleneck")) {
                throw new IllegalArgumentException("ResNet block must be BasicBlock or Bottleneck, got " + block);
            }
            if (layers.length != 4 || numClasses < 1 || width < 1) {
                throw new IllegalArgumentException("ResNet needs 4 stage sizes, classes >= 1 and width >= 1");
            }
            layers = layers.clone();
        }
    }

    private final Config config;
    private final Options options;
    private int inplanes;

    public ResNet(Config config) {
        this(config, Options.DEFAULT);
    }

    /** With {@code options}, e.g. float64 for comparing with PyTorch beyond float32's precision. */
    public ResNet(Config config, Options options) {
        this.config = config;
        this.options = options;
        int w = config.width();
        boolean basic = config.block().equals("BasicBlock");
        int expansion = basic ? BasicBlock.EXPANSION : Bottleneck.EXPANSION;
        inplanes = w;
        registerModule("conv1", new Conv2d(3, w, 7, 2, 3, false, options));
        registerModule("bn1", new BatchNorm2d(w, 1e-5, 0.1, true, true, options));
        registerModule("relu", new ReLU(true));
        registerModule("maxpool", new MaxPool2d(3, 2, 1));
        for (int stage = 0; stage < 4; stage++) {
            registerModule("layer" + (stage + 1), makeLayer(basic, w << stage, config.layers()[stage], stage == 0 ? 1 : 2));
        }
        registerModule("avgpool", new AdaptiveAvgPool2d(new int[] {1, 1}));
        registerModule("fc", new Linear((w << 3) * expansion, config.numClasses(), true, options));
        // torchvision: Kaiming-normal (fan_out, relu) for every convolution; BatchNorm starts as identity
        for (Module m : modules()) {
            if (m instanceof Conv2d c) {
                Init.kaimingNormalFanOut_(c.weight());
            }
        }
    }

    /** torchvision's {@code _make_layer}: the first block may stride and widen, with a 1x1 downsample on the shortcut. */
    private Sequential makeLayer(boolean basic, int planes, int blocks, int stride) {
        int expansion = basic ? BasicBlock.EXPANSION : Bottleneck.EXPANSION;
        Module downsample = null;
        if (stride != 1 || inplanes != planes * expansion) {
            downsample = new Sequential(conv1x1(inplanes, planes * expansion, stride, options), batchNorm(planes * expansion, options));
        }
        List<Module> layers = new ArrayList<>();
        layers.add(block(basic, inplanes, planes, stride, downsample));
        inplanes = planes * expansion;
        for (int i = 1; i < blocks; i++) {
            layers.add(block(basic, inplanes, planes, 1, null));
        }
        return new Sequential(layers.toArray(new Module[0]));
    }

    private Module block(boolean basic, int inplanes, int planes, int stride, Module downsample) {
        return basic ? new BasicBlock(inplanes, planes, stride, downsample, options)
                : new Bottleneck(inplanes, planes, stride, downsample, options);
    }

    static Conv2d conv3x3(int in, int out, int stride, Options options) {
        return new Conv2d(in, out, 3, stride, 1, false, options);
    }

    static Conv2d conv1x1(int in, int out, int stride, Options options) {
        return new Conv2d(in, out, 1, stride, 0, false, options);
    }

    static BatchNorm2d batchNorm(int channels, Options options) {
        return new BatchNorm2d(channels, 1e-5, 0.1, true, true, options);
    }

    public static ResNet resnet18() {
        return new ResNet(new Config("BasicBlock", new int[] {2, 2, 2, 2}, 1000, 64));
    }

    public static ResNet resnet34() {
        return new ResNet(new Config("BasicBlock", new int[] {3, 4, 6, 3}, 1000, 64));
    }

    public static ResNet resnet50() {
        return new ResNet(new Config("Bottleneck", new int[] {3, 4, 6, 3}, 1000, 64));
    }

    public Config config() {
        return config;
    }

    /** {@code model.fc}: the classifier the tutorial replaces. */
    public Linear fc() {
        return (Linear) namedChildren().get("fc");
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Map.Entry<String, Module> c : namedChildren().entrySet()) {
            // flatten between the pooling and the classifier: torch.flatten(x, 1) in torchvision's forward
            x = c.getKey().equals("fc") ? c.getValue().call(F.flatten(x, 1)) : c.getValue().call(x);
        }
        return x;
    }

    @Override
    public SavedModel.Architecture architecture() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("block", config.block());
        List<Object> layers = new ArrayList<>();
        for (int n : config.layers()) {
            layers.add((long) n);
        }
        c.put("layers", layers);
        // the classifier may have been replaced (model.fc = nn.Linear(num_ftrs, 2)): record what is there now
        c.put("num_classes", (long) (namedChildren().get("fc") instanceof Linear l ? l.outFeatures() : config.numClasses()));
        c.put("width", (long) config.width());
        return new SavedModel.Architecture(FACTORY, c);
    }

    /** Rebuilds a ResNet from {@link #architecture()}'s configuration. */
    public static ResNet fromConfig(Map<String, Object> c) {
        List<?> layers = (List<?>) c.get("layers");
        int[] l = new int[layers.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.toIntExact((Long) layers.get(i));
        }
        return new ResNet(new Config((String) c.get("block"), l, Math.toIntExact((Long) c.get("num_classes")),
                Math.toIntExact((Long) c.get("width"))));
    }

    /** Announces {@link #FACTORY} to {@link SavedModel#loadModel} through META-INF/services. */
    public static final class Provider implements SavedModel.Provider {
        @Override
        public Map<String, SavedModel.Factory> factories() {
            return Map.of(FACTORY, ResNet::fromConfig);
        }
    }
}
