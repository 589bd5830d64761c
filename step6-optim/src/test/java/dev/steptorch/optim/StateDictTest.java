package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** state_dict: its layout, and save / load into a fresh optimizer / continue == never stopping. */
class StateDictTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd_nesterov", "sgd_plain", "adam_amsgrad", "adam_weight_decay", "rmsprop_centered_momentum",
            "adagrad_lr_decay"})
    void fiveStepsSavedLoadedIntoAFreshOptimizerAndFiveMoreEqualTenStraightSteps(String name) {
        OptimReference.Case c = OptimReference.get().cases.get(name);
        TinyProblem first = TinyProblem.float64();
        Optimizer before = Optimizers.make(c, first.params());
        first.train(before, 5);
        StateDict saved = before.stateDict();

        // A fresh model holding the trained weights (as a model state_dict would restore them).
        TinyProblem second = TinyProblem.float64();
        second.copyWeightsFrom(first);
        Optimizer after = Optimizers.make(c, second.params());
        after.loadStateDict(saved);
        List<double[][]> resumed = new ArrayList<>(second.train(after, 5));

        List<double[][]> straight = OptimReference.get().trajectories.get(name);
        Trajectories.assertClose(resumed, straight.subList(5, 10), 1e-5, 1e-12);
        // And the saved dict was copied on load: training the first optimizer on leaves the second alone.
        Trajectories.assertClose(first.train(before, 5), straight.subList(5, 10), 1e-5, 1e-12);
    }

    @Test
    void withoutLoadingTheResumedRunDiffers() {
        OptimReference.Case c = OptimReference.get().cases.get("adam_amsgrad");
        TinyProblem first = TinyProblem.float64();
        first.train(Optimizers.make(c, first.params()), 5);
        TinyProblem second = TinyProblem.float64();
        second.copyWeightsFrom(first);
        List<double[][]> fresh = second.train(Optimizers.make(c, second.params()), 5);
        assertThatThrownBy(() -> Trajectories.assertClose(fresh, OptimReference.get().trajectories.get("adam_amsgrad").subList(5, 10),
                1e-5, 1e-12)).isInstanceOf(AssertionError.class);
    }

    @Test
    void stateIsKeyedByParameterPositionAcrossGroupsAndGroupsListThosePositions() {
        Tensor a = Torch.ones(2).requiresGrad_(true);
        Tensor b = Torch.ones(3).requiresGrad_(true);
        Tensor c = Torch.ones(1).requiresGrad_(true);
        Adam adam = new Adam(List.of(ParamGroup.of(a, b).lr(0.1), ParamGroup.of(c)));
        a.setGrad(Torch.ones(2));
        c.setGrad(Torch.ones(1));
        adam.step();

        StateDict sd = adam.stateDict();
        // b had no gradient, so, as in PyTorch, it has no state yet.
        assertThat(sd.state()).containsOnlyKeys(0, 2);
        assertThat(sd.state().get(0)).containsOnlyKeys("step", "exp_avg", "exp_avg_sq");
        assertThat(((Tensor) sd.state().get(0).get("step")).item()).isEqualTo(1.0);
        assertThat(((Tensor) sd.state().get(2).get("exp_avg")).toDoubleArray()).containsExactly(new double[] {0.1}, offset(1e-7));
        assertThat(sd.paramGroups()).hasSize(2);
        assertThat(sd.paramGroups().get(0)).containsEntry("params", List.of(0, 1)).containsEntry("lr", 0.1)
                .containsEntry("betas", List.of(0.9, 0.999));
        assertThat(sd.paramGroups().get(1)).containsEntry("params", List.of(2)).containsEntry("lr", 1e-3);
    }

    @Test
    void sgdWithoutMomentumRecordsAnEmptyBufferAsPyTorchDoes() {
        Tensor p = Torch.ones(2).requiresGrad_(true);
        SGD sgd = new SGD(List.of(p), SGD.defaults().lr(0.1));
        p.setGrad(Torch.ones(2));
        sgd.step();
        Map<String, Object> s = sgd.stateDict().state().get(0);
        assertThat(s).containsKey("momentum_buffer");
        assertThat(s.get("momentum_buffer")).isNull();
    }

    @Test
    void adagradHasStateBeforeItsFirstStep() {
        Tensor p = Torch.ones(2).requiresGrad_(true);
        Adagrad adagrad = new Adagrad(List.of(p), Adagrad.defaults().initialAccumulatorValue(0.5));
        Map<String, Object> s = adagrad.stateDict().state().get(0);
        assertThat(((Tensor) s.get("sum")).toDoubleArray()).containsExactly(0.5, 0.5);
        assertThat(((Tensor) s.get("step")).item()).isZero();
    }

    @Test
    void loadingTakesTheSavedGroupOptions() {
        Tensor p = Torch.ones(2).requiresGrad_(true);
        SGD saved = new SGD(List.of(p), SGD.defaults().lr(0.1).momentum(0.9));
        Tensor q = Torch.ones(2).requiresGrad_(true);
        SGD loaded = new SGD(List.of(q), SGD.defaults().lr(0.5));
        loaded.loadStateDict(saved.stateDict());
        assertThat(loaded.paramGroups().get(0).lr()).isEqualTo(0.1);
        assertThat(loaded.paramGroups().get(0).getDouble("momentum")).isEqualTo(0.9);
        assertThat(loaded.paramGroups().get(0).params()).containsExactly(q);
    }

    @Test
    void loadedStateTensorsTakeTheParametersDtype() {
        Tensor p = Torch.ones(2).requiresGrad_(true);
        Adam adam = new Adam(List.of(p));
        p.setGrad(Torch.ones(2));
        adam.step();
        Tensor q = Torch.ones(Options.of(DType.FLOAT64, Device.CPU), 2).requiresGrad_(true);
        Adam other = new Adam(List.of(q));
        other.loadStateDict(adam.stateDict());
        assertThat(((Tensor) other.state(q).get("exp_avg")).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(((Tensor) other.state(q).get("step")).dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void mismatchedGroupsAreRejectedWithPyTorchsMessages() {
        Tensor a = Torch.ones(1).requiresGrad_(true);
        Tensor b = Torch.ones(1).requiresGrad_(true);
        StateDict twoGroups = new SGD(List.of(ParamGroup.of(a), ParamGroup.of(b)), SGD.defaults().lr(0.1)).stateDict();
        StateDict oneGroupOfTwo = new SGD(List.of(a, b), SGD.defaults().lr(0.1)).stateDict();

        assertThatThrownBy(() -> new SGD(List.of(a, b), SGD.defaults().lr(0.1)).loadStateDict(twoGroups))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loaded state dict has a different number of parameter groups");
        assertThatThrownBy(() -> new SGD(List.of(a), SGD.defaults().lr(0.1)).loadStateDict(oneGroupOfTwo))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    }
}
