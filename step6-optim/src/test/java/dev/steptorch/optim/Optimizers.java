package dev.steptorch.optim;

import java.util.List;
import java.util.Map;

/** Makes an optimizer of a reference case through the typed defaults, option by option. */
final class Optimizers {
    private Optimizers() {
    }

    static Optimizer make(OptimReference.Case c, List<?> params) {
        Map<String, String> o = c.options();
        return switch (c.kind()) {
            case "SGD" -> {
                SGD.Defaults d = SGD.defaults();
                o.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> d.lr(num(v));
                        case "momentum" -> d.momentum(num(v));
                        case "dampening" -> d.dampening(num(v));
                        case "weight_decay" -> d.weightDecay(num(v));
                        case "nesterov" -> d.nesterov(bool(v));
                        case "maximize" -> d.maximize(bool(v));
                        default -> throw new IllegalArgumentException(k);
                    }
                });
                yield new SGD(params, d);
            }
            case "Adam" -> {
                Adam.Defaults d = Adam.defaults();
                o.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> d.lr(num(v));
                        case "beta1", "beta2" -> { }
                        case "eps" -> d.eps(num(v));
                        case "weight_decay" -> d.weightDecay(num(v));
                        case "amsgrad" -> d.amsgrad(bool(v));
                        case "maximize" -> d.maximize(bool(v));
                        default -> throw new IllegalArgumentException(k);
                    }
                });
                if (o.containsKey("beta1")) {
                    d.betas(num(o.get("beta1")), num(o.get("beta2")));
                }
                yield new Adam(params, d);
            }
            case "RMSprop" -> {
                RMSprop.Defaults d = RMSprop.defaults();
                o.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> d.lr(num(v));
                        case "alpha" -> d.alpha(num(v));
                        case "momentum" -> d.momentum(num(v));
                        case "centered" -> d.centered(bool(v));
                        case "weight_decay" -> d.weightDecay(num(v));
                        case "maximize" -> d.maximize(bool(v));
                        default -> throw new IllegalArgumentException(k);
                    }
                });
                yield new RMSprop(params, d);
            }
            case "Adagrad" -> {
                Adagrad.Defaults d = Adagrad.defaults();
                o.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> d.lr(num(v));
                        case "lr_decay" -> d.lrDecay(num(v));
                        case "weight_decay" -> d.weightDecay(num(v));
                        case "initial_accumulator_value" -> d.initialAccumulatorValue(num(v));
                        case "maximize" -> d.maximize(bool(v));
                        default -> throw new IllegalArgumentException(k);
                    }
                });
                yield new Adagrad(params, d);
            }
            default -> throw new IllegalArgumentException(c.kind());
        };
    }

    private static double num(String v) {
        return Double.parseDouble(v);
    }

    private static boolean bool(String v) {
        if (!"True".equals(v) && !"False".equals(v)) {
            throw new IllegalArgumentException(v);
        }
        return "True".equals(v);
    }
}
