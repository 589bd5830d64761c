package dev.steptorch.autograd;

/**
 * Whether ops record the graph: PyTorch's {@code torch.no_grad()}, {@code torch.enable_grad()} and
 * {@code torch.set_grad_enabled()}. The flag is per thread, as in PyTorch, so a data-loading
 * thread never switches recording off for the training thread.
 *
 * <pre>{@code
 * try (var ignored = GradMode.noGrad()) {
 *     w1.sub_(w1.grad().mul(learningRate));
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> true);

    private GradMode() {
    }

    /** A scope restoring the previous mode when closed; {@code close} throws nothing. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** {@code torch.no_grad()}: ops inside the scope record nothing. */
    public static Scope noGrad() {
        return setGradEnabled(false);
    }

    /** {@code torch.enable_grad()}: switches recording back on inside a no-grad scope. */
    public static Scope enableGrad() {
        return setGradEnabled(true);
    }

    /** {@code torch.set_grad_enabled(mode)}, usable as a scope or as a plain switch. */
    public static Scope setGradEnabled(boolean enabled) {
        boolean previous = ENABLED.get();
        ENABLED.set(enabled);
        return () -> ENABLED.set(previous);
    }
}
