package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.steptorch.nn.Linear;
import dev.steptorch.nn.Module;
import dev.steptorch.nn.Sequential;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameter groups: options per group, defaults for the rest, against PyTorch's trajectories. */
class ParamGroupTest {

    @Test
    void sgdGroupsWithTheirOwnLrAndMomentumMatchPyTorch() {
        // PyTorch: SGD([{'params': [W], 'lr': 0.05, 'momentum': 0.0}, {'params': [b]}], lr=0.01, momentum=0.9)
        TinyProblem problem = TinyProblem.float64();
        SGD sgd = new SGD(List.of(ParamGroup.of(problem.w).lr(0.05).set("momentum", 0.0), ParamGroup.of(problem.b)),
                SGD.defaults().lr(0.01).momentum(0.9));
        Trajectories.assertClose(problem.train(sgd, 10), OptimReference.get().trajectories.get("sgd_groups"), 1e-5, 1e-12);
    }

    @Test
    void adamGroupsInAnotherOrderMatchPyTorch() {
        // PyTorch: Adam([{'params': [b], 'lr': 0.1, 'amsgrad': True}, {'params': [W]}], lr=0.01)
        TinyProblem problem = TinyProblem.float64();
        Adam adam = new Adam(List.of(ParamGroup.of(problem.b).lr(0.1).set("amsgrad", true), ParamGroup.of(problem.w)),
                Adam.defaults().lr(0.01));
        Trajectories.assertClose(problem.train(adam, 10), OptimReference.get().trajectories.get("adam_groups"), 1e-5, 1e-12);
    }

    @Test
    void groupOptionsOverrideDefaultsAndMissingOnesAreFilledIn() {
        Torch.manualSeed(0);
        Sequential model = new Sequential(new Linear(4, 3), new Linear(3, 2));
        Module features = model.get(0);
        Module classifier = model.get(1);
        SGD sgd = new SGD(List.of(ParamGroup.of(features.parameters()).lr(1e-5), ParamGroup.of(classifier.parameters())),
                SGD.defaults().lr(1e-2).momentum(0.9));

        List<ParamGroup> groups = sgd.paramGroups();
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).lr()).isEqualTo(1e-5);
        assertThat(groups.get(1).lr()).isEqualTo(1e-2);
        assertThat(groups.get(0).getDouble("momentum")).isEqualTo(0.9);
        assertThat(groups.get(0).options()).containsOnlyKeys("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize");
        assertThat(groups.get(0).params()).containsExactlyElementsOf(features.parameters());
        assertThat(groups.get(1).params()).containsExactlyElementsOf(classifier.parameters());
    }

    @Test
    void aGroupsLrTakesEffectOnlyOnItsOwnParameters() {
        Tensor a = Torch.ones(2).requiresGrad_(true);
        Tensor b = Torch.ones(2).requiresGrad_(true);
        SGD sgd = new SGD(List.of(ParamGroup.of(a).lr(0.5), ParamGroup.of(b)), SGD.defaults().lr(0.1));
        a.sum().add(b.sum()).backward();
        sgd.step();
        assertThat(a.toFloatArray()).containsExactly(0.5f, 0.5f);
        assertThat(b.toFloatArray()).containsExactly(0.9f, 0.9f);
    }

    @Test
    void changingALiveGroupsLrChangesTheNextStep() {
        Tensor p = Torch.zeros(1).requiresGrad_(true);
        SGD sgd = new SGD(List.of(p), SGD.defaults().lr(1.0));
        p.setGrad(Torch.ones(1));
        sgd.step();
        sgd.paramGroups().get(0).setLr(0.25);
        sgd.step();
        assertThat(p.item()).isEqualTo(-1.25);
    }

    @Test
    void theCallersGroupIsNotChangedByJoiningAnOptimizer() {
        Tensor p = Torch.zeros(1).requiresGrad_(true);
        ParamGroup mine = ParamGroup.of(p).lr(0.3);
        new SGD(List.of(mine), SGD.defaults().momentum(0.5));
        assertThat(mine.options()).containsOnlyKeys("lr");
    }

    @Test
    void addParamGroupAddsLaterParametersWithTheDefaults() {
        Tensor a = Torch.zeros(1).requiresGrad_(true);
        Tensor b = Torch.zeros(1).requiresGrad_(true);
        Adagrad adagrad = new Adagrad(List.of(a), Adagrad.defaults().lr(0.1));
        adagrad.addParamGroup(ParamGroup.of(b).lr(0.2));
        a.setGrad(Torch.ones(1));
        b.setGrad(Torch.ones(1));
        adagrad.step();
        // Adagrad's first step moves by lr * g / (|g| + eps), i.e. almost exactly lr.
        assertThat(a.item()).isCloseTo(-0.1, offset(1e-6));
        assertThat(b.item()).isCloseTo(-0.2, offset(1e-6));
    }
}
