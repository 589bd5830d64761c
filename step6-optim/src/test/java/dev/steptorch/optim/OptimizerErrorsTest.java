package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Bad construction fails at once, with PyTorch 1.13's messages. */
class OptimizerErrorsTest {
    private final Tensor p = Torch.ones(2).requiresGrad_(true);
    private final Tensor q = Torch.ones(2).requiresGrad_(true);

    private static void fails(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void emptyParameterList() {
        fails(() -> new SGD(List.of(), SGD.defaults().lr(0.1)), "optimizer got an empty parameter list");
        fails(() -> new Adam(List.of()), "optimizer got an empty parameter list");
    }

    @Test
    void aParameterInTwoGroups() {
        fails(() -> new SGD(List.of(ParamGroup.of(p, q), ParamGroup.of(q)), SGD.defaults().lr(0.1)),
                "some parameters appear in more than one parameter group");
        SGD sgd = new SGD(List.of(p), SGD.defaults().lr(0.1));
        fails(() -> sgd.addParamGroup(ParamGroup.of(p)), "some parameters appear in more than one parameter group");
    }

    @Test
    void negativeOrMissingLearningRate() {
        fails(() -> new SGD(List.of(p), SGD.defaults().lr(-0.1)), "Invalid learning rate: -0.1");
        fails(() -> new Adam(List.of(p), Adam.defaults().lr(-1)), "Invalid learning rate: -1.0");
        fails(() -> new RMSprop(List.of(p), RMSprop.defaults().lr(-0.5)), "Invalid learning rate: -0.5");
        fails(() -> new Adagrad(List.of(p), Adagrad.defaults().lr(-0.5)), "Invalid learning rate: -0.5");
        fails(() -> new SGD(List.of(ParamGroup.of(p).lr(-0.1)), SGD.defaults().lr(0.1)), "Invalid learning rate: -0.1");
        fails(() -> new SGD(List.of(p), SGD.defaults().momentum(0.9)),
                "parameter group didn't specify a value of required optimization parameter lr");
    }

    @Test
    void invalidOptionValues() {
        fails(() -> new SGD(List.of(p), SGD.defaults().lr(0.1).momentum(-0.9)), "Invalid momentum value: -0.9");
        fails(() -> new SGD(List.of(p), SGD.defaults().lr(0.1).weightDecay(-1)), "Invalid weight_decay value: -1.0");
        fails(() -> new SGD(List.of(p), SGD.defaults().lr(0.1).nesterov(true)), "Nesterov momentum requires a momentum and zero dampening");
        fails(() -> new SGD(List.of(p), SGD.defaults().lr(0.1).nesterov(true).momentum(0.9).dampening(0.1)),
                "Nesterov momentum requires a momentum and zero dampening");
        fails(() -> new Adam(List.of(p), Adam.defaults().betas(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0");
        fails(() -> new Adam(List.of(p), Adam.defaults().betas(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1");
        fails(() -> new Adam(List.of(p), Adam.defaults().eps(-1e-8)), "Invalid epsilon value: -1.0E-8");
        fails(() -> new RMSprop(List.of(p), RMSprop.defaults().alpha(-0.5)), "Invalid alpha value: -0.5");
        fails(() -> new Adagrad(List.of(p), Adagrad.defaults().lrDecay(-0.5)), "Invalid lr_decay value: -0.5");
        fails(() -> new Adagrad(List.of(p), Adagrad.defaults().initialAccumulatorValue(-0.5)),
                "Invalid initial_accumulator_value value: -0.5");
        fails(() -> new Adam(List.of(p), Adam.defaults().lr(Double.NaN)), "Invalid learning rate: NaN");
    }

    /** Every option each optimizer checks, as torch.optim 1.13 words it. */
    @Test
    void everyCheckedOptionOfAdamRmspropAndAdagrad() {
        fails(() -> new Adam(List.of(p), Adam.defaults().weightDecay(-0.1)), "Invalid weight_decay value: -0.1");
        fails(() -> new RMSprop(List.of(p), RMSprop.defaults().eps(-1.0)), "Invalid epsilon value: -1.0");
        fails(() -> new RMSprop(List.of(p), RMSprop.defaults().momentum(-0.9)), "Invalid momentum value: -0.9");
        fails(() -> new RMSprop(List.of(p), RMSprop.defaults().weightDecay(-0.1)), "Invalid weight_decay value: -0.1");
        fails(() -> new Adagrad(List.of(p), Adagrad.defaults().weightDecay(-0.1)), "Invalid weight_decay value: -0.1");
        fails(() -> new Adagrad(List.of(p), Adagrad.defaults().eps(-1.0)), "Invalid epsilon value: -1.0");
    }

    /** maximize=True chains like every other option and lands in the defaults of all four optimizers. */
    @Test
    void maximizeIsAnOptionOfEveryOptimizer() {
        SGD.Defaults sgd = SGD.defaults();
        Adam.Defaults adam = Adam.defaults();
        RMSprop.Defaults rmsprop = RMSprop.defaults();
        Adagrad.Defaults adagrad = Adagrad.defaults();
        assertThat(sgd.maximize(true)).isSameAs(sgd);
        assertThat(adam.maximize(true)).isSameAs(adam);
        assertThat(rmsprop.maximize(true)).isSameAs(rmsprop);
        assertThat(adagrad.maximize(true)).isSameAs(adagrad);
        assertThat(new SGD(List.of(p), sgd.lr(0.1)).defaultOptions()).containsEntry("maximize", true);
        assertThat(new Adam(List.of(p), adam).defaultOptions()).containsEntry("maximize", true);
        assertThat(new RMSprop(List.of(p), rmsprop).defaultOptions()).containsEntry("maximize", true);
        assertThat(new Adagrad(List.of(p), adagrad).defaultOptions()).containsEntry("maximize", true);
        assertThat(new Adam(List.of(p)).defaultOptions()).containsEntry("maximize", false);
    }

    @Test
    void nonLeafTensorsAndNonTensors() {
        fails(() -> new SGD(List.of(p.mul(2.0)), SGD.defaults().lr(0.1)), "can't optimize a non-leaf Tensor");
        fails(() -> new SGD(List.of(p, "weight"), SGD.defaults().lr(0.1)),
                "optimizer can only optimize Tensors, but one of the params is java.lang.String");
        fails(() -> new SGD(List.of(ParamGroup.of(p), q), SGD.defaults().lr(0.1)),
                "optimizer params must be all Tensors or all ParamGroups, but one is dev.steptorch.tensor.Tensor");
    }

    @Test
    void paramsIsNotAnOptionAGroupCanSet() {
        fails(() -> ParamGroup.of(p).set("params", List.of(q)), "a group's params are fixed when it is made: ParamGroup.of(params)");
    }

    @Test
    void stepLrNeedsAPositiveStepSize() {
        fails(() -> new StepLR(new SGD(List.of(p), SGD.defaults().lr(0.1)), 0), "StepLR step_size must be positive, got 0");
    }
}
