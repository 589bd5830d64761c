package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;
import java.util.LinkedHashMap;

/**
 * {@code nn.Sequential}: runs its modules in order, each on the previous one's output. Modules
 * given to the constructor are named "0", "1", ...; {@link #addModule(String, Module)} names them.
 */
public class Sequential extends Module {
    public Sequential(Module... modules) {
        for (int i = 0; i < modules.length; i++) {
            registerModule(Integer.toString(i), modules[i]);
        }
    }

    /**
     * {@code nn.Sequential(OrderedDict([('conv1', ...), ...]))}: the modules under the map's names.
     * A LinkedHashMap, because the order of the map is the order the modules run in.
     */
    public Sequential(LinkedHashMap<String, ? extends Module> modules) {
        modules.forEach(this::registerModule);
    }

    /** {@code add_module(name, module)}, for the named form (an OrderedDict in PyTorch); returns this, to chain. */
    public Sequential addModule(String name, Module module) {
        registerModule(name, module);
        return this;
    }

    /** The i-th module, {@code model[i]}. */
    public Module get(int index) {
        int n = children().size();
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for Sequential of length " + n);
        }
        return children().get(i);
    }

    public int size() {
        return children().size();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) {
            x = m.call(x); // module(input), as PyTorch's Sequential calls it (so a summary sees each layer)
        }
        return x;
    }
}
