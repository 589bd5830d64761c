package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.nn.Linear;
import dev.steptorch.nn.ReLU;
import dev.steptorch.nn.Sequential;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** zero_grad, skipping params without a gradient, steps that record nothing, closures, and a real model. */
class OptimizerBehaviourTest {

    @Test
    void zeroGradZeroesTheSameGradientTensorInPlace() {
        Tensor p = Torch.ones(3).requiresGrad_(true);
        SGD sgd = new SGD(List.of(p), SGD.defaults().lr(0.1));
        p.mul(2.0).sum().backward();
        Tensor grad = p.grad();
        sgd.zeroGrad();
        assertThat(p.grad()).isSameAs(grad);
        assertThat(grad.toDoubleArray()).containsExactly(0, 0, 0);
        // So the next backward() starts from zero instead of accumulating.
        p.mul(3.0).sum().backward();
        assertThat(p.grad().toDoubleArray()).containsExactly(3, 3, 3);
    }

    @Test
    void withoutZeroGradGradientsAccumulate() {
        Tensor p = Torch.ones(1).requiresGrad_(true);
        p.mul(3.0).sum().backward();
        p.mul(3.0).sum().backward();
        assertThat(p.grad().item()).isEqualTo(6.0);
    }

    @Test
    void zeroGradSetToNoneDropsTheGradientAndStepThenSkipsTheParam() {
        Tensor p = Torch.ones(2).requiresGrad_(true);
        SGD sgd = new SGD(List.of(p), SGD.defaults().lr(0.1).momentum(0.9));
        p.sum().backward();
        sgd.zeroGrad(true);
        assertThat(p.grad()).isNull();
        sgd.step();
        assertThat(p.toDoubleArray()).containsExactly(1, 1);
        assertThat(sgd.stateDict().state()).isEmpty();
    }

    @Test
    void paramsWithoutAGradientAreLeftAloneAndGetNoState() {
        Tensor used = Torch.ones(2).requiresGrad_(true);
        Tensor unused = Torch.ones(2).requiresGrad_(true);
        Adam adam = new Adam(List.of(used, unused), Adam.defaults().lr(0.1));
        used.mul(2.0).sum().backward();
        adam.step();
        assertThat(unused.toDoubleArray()).containsExactly(1, 1);
        assertThat(adam.state(used)).containsKey("exp_avg");
        assertThat(adam.state(unused)).isEmpty();
        assertThat(adam.stateDict().state()).containsOnlyKeys(0);
        assertThat(used.toFloatArray()[0]).isLessThan(1f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd_nesterov", "adam_amsgrad", "rmsprop_centered_momentum", "adagrad_weight_decay"})
    void stepRecordsNoGraphAndParamsStayTrainableLeaves(String name) {
        TinyProblem problem = TinyProblem.float64();
        Optimizer optimizer = Optimizers.make(OptimReference.get().cases.get(name), problem.params());
        problem.train(optimizer, 2);
        for (Tensor p : problem.params()) {
            assertThat(p.isLeaf()).isTrue();
            assertThat(p.gradFn()).isNull();
            assertThat(p.requiresGrad()).isTrue();
        }
        for (Object value : optimizer.state(problem.w).values()) {
            if (value instanceof Tensor t) {
                assertThat(t.requiresGrad()).as(name).isFalse();
            }
        }
    }

    @Test
    void stepWithAClosureReturnsItsLossAndUsesItsGradients() {
        TinyProblem problem = TinyProblem.float64();
        SGD sgd = new SGD(problem.params(), SGD.defaults().lr(0.01));
        Tensor loss = sgd.step(() -> {
            sgd.zeroGrad();
            Tensor l = problem.loss();
            l.backward();
            return l;
        });
        assertThat(loss.item()).isGreaterThan(0);
        double[] expected = OptimReference.get().trajectories.get("sgd_plain").get(0)[0];
        assertThat(problem.w.toDoubleArray()).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-12));
    }

    static List<Function<List<Tensor>, Optimizer>> optimizers() {
        return List.of(
                p -> new SGD(p, SGD.defaults().lr(0.05).momentum(0.9)),
                p -> new Adam(p, Adam.defaults().lr(0.01)),
                p -> new RMSprop(p, RMSprop.defaults().lr(0.01)),
                p -> new Adagrad(p, Adagrad.defaults().lr(0.1)));
    }

    @Test
    void everyOptimizerLowersTheLossOfASmallNetwork() {
        Options f64 = Options.of(DType.FLOAT64, Device.CPU);
        for (Function<List<Tensor>, Optimizer> make : optimizers()) {
            Torch.manualSeed(1);
            Sequential model = new Sequential(new Linear(3, 8, true, f64), new ReLU(), new Linear(8, 1, true, f64));
            Tensor x = Torch.randn(f64, 16, 3);
            Tensor y = x.sum(new int[] {1}, true).mul(0.5);
            Optimizer optimizer = make.apply(model.parameters());
            double first = 0;
            double last = 0;
            for (int i = 0; i < 50; i++) {
                optimizer.zeroGrad();
                Tensor diff = model.call(x).sub(y);
                Tensor loss = diff.mul(diff).mean();
                loss.backward();
                optimizer.step();
                if (i == 0) {
                    first = loss.item();
                }
                last = loss.item();
            }
            assertThat(last).as(optimizer.name()).isLessThan(first / 2);
        }
    }

    @Test
    void toStringListsEachGroupsOptionsAsPyTorchPrintsThem() {
        Tensor p = Torch.ones(1).requiresGrad_(true);
        Tensor q = Torch.ones(1).requiresGrad_(true);
        SGD sgd = new SGD(List.of(ParamGroup.of(p).lr(1e-5), ParamGroup.of(q)), SGD.defaults().lr(1e-2).momentum(0.9));
        assertThat(sgd.toString()).isEqualTo("""
                SGD (
                Parameter Group 0
                    dampening: 0.0
                    lr: 1.0E-5
                    maximize: false
                    momentum: 0.9
                    nesterov: false
                    weight_decay: 0.0
                Parameter Group 1
                    dampening: 0.0
                    lr: 0.01
                    maximize: false
                    momentum: 0.9
                    nesterov: false
                    weight_decay: 0.0
                )""");
    }
}
