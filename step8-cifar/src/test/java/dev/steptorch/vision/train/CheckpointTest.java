package dev.steptorch.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.nn.Checkpoints;
import dev.steptorch.nn.CrossEntropyLoss;
import dev.steptorch.nn.Module;
import dev.steptorch.serialization.Safetensors;
import dev.steptorch.optim.Adam;
import dev.steptorch.optim.Optimizer;
import dev.steptorch.optim.ParamGroup;
import dev.steptorch.optim.RMSprop;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.vision.CifarNet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint brings model, optimizer and progress back bit for bit, or fails and changes nothing. */
class CheckpointTest {
    @TempDir
    Path dir;

    private static CifarNet net(long seed) {
        Torch.manualSeed(seed);
        return new CifarNet();
    }

    /** A few steps on random images, so that the optimizer has state worth saving. */
    private static void train(Module model, Optimizer optimizer, int steps, long seed) {
        Torch.manualSeed(seed);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        for (int i = 0; i < steps; i++) {
            Tensor x = Torch.randn(4, 3, 32, 32);
            Tensor y = Torch.tensor(new long[] {i % 10, (i + 3) % 10, (i + 5) % 10, (i + 7) % 10});
            optimizer.zeroGrad();
            criterion.call(model.call(x), y).backward();
            optimizer.step();
        }
    }

    private static Map<String, float[]> snapshot(Module model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    private static void assertSameModel(Module actual, Module expected) {
        Map<String, float[]> a = snapshot(actual);
        Map<String, float[]> e = snapshot(expected);
        assertThat(a.keySet()).containsExactlyElementsOf(e.keySet());
        e.forEach((k, v) -> assertThat(a.get(k)).as(k).containsExactly(v));
    }

    /** Every state entry of every parameter, tensors as their values; keyed by parameter position. */
    private static List<Map<String, Object>> stateValues(Optimizer optimizer) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            for (Tensor p : g.params()) {
                Map<String, Object> entries = new LinkedHashMap<>();
                optimizer.state(p).forEach((k, v) -> entries.put(k, v instanceof Tensor t ? List.of(t.dtype(), t.size().toString(),
                        java.util.Arrays.toString(t.toDoubleArray())) : v));
                out.add(entries);
            }
        }
        return out;
    }

    private static List<Map<String, Object>> groupOptions(Optimizer optimizer) {
        return optimizer.paramGroups().stream().map(g -> (Map<String, Object>) new LinkedHashMap<>(g.options())).toList();
    }

    private static void assertSameOptimizer(Optimizer actual, Optimizer expected) {
        assertThat(groupOptions(actual)).isEqualTo(groupOptions(expected));
        assertThat(stateValues(actual)).isEqualTo(stateValues(expected));
    }

    @Test
    void sgdWithMomentumRoundTripsModelStateOptionsAndProgress() throws IOException {
        CifarNet a = net(1);
        SGD sgdA = new SGD(a.parameters(), SGD.defaults().lr(0.01).momentum(0.9).nesterov(true).weightDecay(1e-4));
        train(a, sgdA, 3, 11);
        Path file = dir.resolve("ckpt.safetensors");
        // 0.1 + 0.2 and a NaN check that the losses survive as text without rounding.
        Checkpoint.Progress progress = new Checkpoint.Progress(3, List.of(2.3125, 0.1 + 0.2, 1e-17, Double.NaN));
        Checkpoint.save(file, a, sgdA, progress);

        CifarNet b = net(2);
        SGD sgdB = new SGD(b.parameters(), SGD.defaults().lr(0.5).momentum(0.1));
        assertThat(snapshot(b).get("conv1.weight")).isNotEqualTo(snapshot(a).get("conv1.weight"));
        Checkpoint.Progress loaded = Checkpoint.load(file, b, sgdB);

        assertThat(loaded).isEqualTo(progress);
        assertSameModel(b, a);
        assertSameOptimizer(sgdB, sgdA);
        Map<String, Object> options = sgdB.paramGroups().get(0).options();
        assertThat(options.get("lr")).isEqualTo(0.01);
        assertThat(options.get("momentum")).isEqualTo(0.9);
        assertThat(options.get("nesterov")).isEqualTo(Boolean.TRUE);
        assertThat(options.get("maximize")).isEqualTo(Boolean.FALSE);
        assertThat(options.get("weight_decay")).isEqualTo(1e-4);
        Tensor someParam = sgdB.paramGroups().get(0).params().get(0);
        assertThat(sgdB.state(someParam).get("momentum_buffer")).isInstanceOf(Tensor.class);

        // The same next step on both: the momentum buffers really are in use, not just equal.
        train(a, sgdA, 2, 12);
        train(b, sgdB, 2, 12);
        assertSameModel(b, a);
    }

    @Test
    void adamStateWithTensorStepRoundTrips() throws IOException {
        CifarNet a = net(3);
        Adam adamA = new Adam(a.parameters(), Adam.defaults().lr(2e-3).betas(0.8, 0.99).amsgrad(true));
        train(a, adamA, 3, 13);
        Path file = dir.resolve("adam.safetensors");
        Checkpoint.save(file, a, adamA, new Checkpoint.Progress(1, List.of()));

        CifarNet b = net(4);
        Adam adamB = new Adam(b.parameters());
        Checkpoint.Progress loaded = Checkpoint.load(file, b, adamB);

        assertThat(loaded).isEqualTo(new Checkpoint.Progress(1, List.of()));
        assertSameModel(b, a);
        assertSameOptimizer(adamB, adamA);
        Tensor p = adamB.paramGroups().get(0).params().get(0);
        assertThat(adamB.state(p).get("step")).isInstanceOf(Tensor.class);
        assertThat(((Tensor) adamB.state(p).get("step")).item()).isEqualTo(3.0);
        assertThat(adamB.state(p)).containsKeys("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
        assertThat(adamB.paramGroups().get(0).options().get("betas")).isEqualTo(List.of(0.8, 0.99));

        train(a, adamA, 2, 14);
        train(b, adamB, 2, 14);
        assertSameModel(b, a);
    }

    @Test
    void rmspropStateWithIntStepRoundTrips() throws IOException {
        CifarNet a = net(5);
        RMSprop rmsA = new RMSprop(a.parameters(), RMSprop.defaults().lr(1e-3).alpha(0.9).momentum(0.5).centered(true));
        train(a, rmsA, 3, 15);
        Path file = dir.resolve("rms.safetensors");
        Checkpoint.save(file, a, rmsA, new Checkpoint.Progress(7, List.of(1.0, 2.0)));

        CifarNet b = net(6);
        RMSprop rmsB = new RMSprop(b.parameters());
        Checkpoint.load(file, b, rmsB);

        assertSameModel(b, a);
        assertSameOptimizer(rmsB, rmsA);
        Tensor p = rmsB.paramGroups().get(0).params().get(3);
        assertThat(rmsB.state(p).get("step")).isEqualTo(3);
        assertThat(rmsB.state(p)).containsKeys("square_avg", "momentum_buffer", "grad_avg");
        assertThat(rmsB.paramGroups().get(0).options().get("centered")).isEqualTo(Boolean.TRUE);

        train(a, rmsA, 2, 16);
        train(b, rmsB, 2, 16);
        assertSameModel(b, a);
    }

    /** A model and optimizer with state of their own, to see that a failed load leaves them alone. */
    private record Target(CifarNet model, SGD optimizer, Map<String, float[]> params, List<Map<String, Object>> state,
                          List<Map<String, Object>> options) {
        static Target make() {
            CifarNet model = net(8);
            SGD sgd = new SGD(model.parameters(), SGD.defaults().lr(0.05).momentum(0.5));
            train(model, sgd, 1, 18);
            return new Target(model, sgd, snapshot(model), stateValues(sgd), groupOptions(sgd));
        }

        void assertUnchanged() {
            Map<String, float[]> now = snapshot(model);
            params.forEach((k, v) -> assertThat(now.get(k)).as(k).containsExactly(v));
            assertThat(stateValues(optimizer)).isEqualTo(state);
            assertThat(groupOptions(optimizer)).isEqualTo(options);
        }
    }

    private Path goodCheckpoint() throws IOException {
        CifarNet a = net(7);
        SGD sgd = new SGD(a.parameters(), SGD.defaults().lr(0.01).momentum(0.9));
        train(a, sgd, 2, 17);
        Path file = dir.resolve("good.safetensors");
        Checkpoint.save(file, a, sgd, new Checkpoint.Progress(1, List.of(2.0, 1.5)));
        return file;
    }

    @Test
    void truncatedCheckpointFailsNamingTheFileAndChangesNothing() throws IOException {
        byte[] bytes = Files.readAllBytes(goodCheckpoint());
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Target t = Target.make();

        assertThatThrownBy(() -> Checkpoint.load(truncated, t.model(), t.optimizer()))
                .isInstanceOf(IOException.class).hasMessageContaining(truncated.toString());
        t.assertUnchanged();
    }

    @Test
    void damagedHeaderFailsNamingTheFileAndChangesNothing() throws IOException {
        byte[] bytes = Files.readAllBytes(goodCheckpoint());
        // Overwrite the start of the JSON header, just after the 8-byte length.
        byte[] junk = "#!garbage".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(junk, 0, bytes, 8, junk.length);
        Path damaged = dir.resolve("damaged.safetensors");
        Files.write(damaged, bytes);
        Target t = Target.make();

        assertThatThrownBy(() -> Checkpoint.load(damaged, t.model(), t.optimizer()))
                .isInstanceOf(IOException.class).hasMessageContaining(damaged.toString());
        t.assertUnchanged();
    }

    /** Rewrites a good checkpoint with one metadata value replaced. */
    private Path withMetadata(String key, String value) throws IOException {
        Path good = goodCheckpoint();
        Map<String, String> meta = new LinkedHashMap<>(Safetensors.loadMetadata(good));
        assertThat(meta).containsKey(key);
        meta.put(key, value);
        Path out = dir.resolve("edited-" + key + ".safetensors");
        Safetensors.save(Safetensors.load(good), meta, out);
        return out;
    }

    @Test
    void unreadableMetadataValueFailsNamingTheFileAndChangesNothing() throws IOException {
        Path file = withMetadata("optimizer.group.0.lr", "zero point one");
        Target t = Target.make();

        assertThatThrownBy(() -> Checkpoint.load(file, t.model(), t.optimizer()))
                .hasMessageContaining(file.toString()).hasMessageContaining("zero point one");
        t.assertUnchanged();
    }

    @Test
    void optimizerThatDoesNotFitFailsAfterTheModelCheckAndChangesNothing() throws IOException {
        // Two parameter groups saved, one expected: the model part fits, the optimizer part does not.
        CifarNet a = net(9);
        List<Tensor> params = a.parameters();
        SGD twoGroups = new SGD(List.of(ParamGroup.of(params.subList(0, 4)), ParamGroup.of(params.subList(4, params.size()))),
                SGD.defaults().lr(0.01).momentum(0.9));
        train(a, twoGroups, 1, 19);
        Path file = dir.resolve("two-groups.safetensors");
        Checkpoint.save(file, a, twoGroups, new Checkpoint.Progress(1, List.of(1.0)));
        Target t = Target.make();

        assertThatThrownBy(() -> Checkpoint.load(file, t.model(), t.optimizer()))
                .hasMessageContaining(file.toString()).hasMessageContaining("parameter groups");
        t.assertUnchanged();
    }

    @Test
    void checkpointOfAnotherArchitectureFailsNamingTheFileAndChangesNothing() throws IOException {
        Torch.manualSeed(10);
        CifarNet fiveClasses = new CifarNet(5);
        SGD sgd = new SGD(fiveClasses.parameters(), SGD.defaults().lr(0.01).momentum(0.9));
        Path file = dir.resolve("five.safetensors");
        Checkpoint.save(file, fiveClasses, sgd, new Checkpoint.Progress(0, List.of()));
        Target t = Target.make();

        assertThatThrownBy(() -> Checkpoint.load(file, t.model(), t.optimizer()))
                .hasMessageContaining(file.toString()).hasMessageContaining("fc3.weight");
        t.assertUnchanged();
    }

    @Test
    void modelStateDictWithoutCheckpointMetadataIsRefusedClearly() throws IOException {
        Path file = dir.resolve("cifar_net.safetensors");
        Checkpoints.saveStateDict(net(11), file);
        Target t = Target.make();

        assertThatThrownBy(() -> Checkpoint.load(file, t.model(), t.optimizer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a training checkpoint")
                .hasMessageContaining("epochs_done");
        t.assertUnchanged();
    }

    @Test
    void checkpointIsAPlainSafetensorsFileWithNamedEntries() throws IOException {
        Path file = goodCheckpoint();
        Map<String, Tensor> tensors = Safetensors.load(file);
        Map<String, String> meta = Safetensors.loadMetadata(file);
        assertThat(tensors).containsKeys("model.conv1.weight", "model.fc3.bias", "optimizer.state.0.momentum_buffer");
        // every value is JSON, so any safetensors tool shows them plainly
        assertThat(meta).containsEntry("epochs_done", "1").containsEntry("losses", "[2.0,1.5]")
                .containsEntry("optimizer.group.0.lr", "0.01").containsEntry("optimizer.group.0.nesterov", "false");
    }
}
