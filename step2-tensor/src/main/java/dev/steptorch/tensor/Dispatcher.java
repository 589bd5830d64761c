package dev.steptorch.tensor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Routes every tensor op to the ops of the inputs' device: the device's kernels at the bottom,
 * any registered {@link DispatchLayer}s (step3's autograd) on top, as in PyTorch's dispatcher.
 *
 * <p>The GPU backend is looked up by class name on first use, so a machine without OpenCL never
 * loads Aparapi.
 */
public final class Dispatcher {
    static final String GPU_BACKEND = "dev.steptorch.tensor.opencl.OpenClBackend";
    private static final String NO_GPU = "no OpenCL platform with a usable device was found, so Device.GPU cannot be used. "
            + "Install an OpenCL driver for your GPU, or run OpenCL on the CPU with PoCL "
            + "(Debian/Ubuntu: sudo apt-get install pocl-opencl-icd). Device.isGpuAvailable() tells whether it worked.";

    private static final Map<Device, Backend> BACKENDS = new EnumMap<>(Device.class);
    private static final Map<Device, TensorOps> TOPS = new EnumMap<>(Device.class);
    private static final List<DispatchLayer> LAYERS = new ArrayList<>();
    private static boolean layersLoaded;
    private static Boolean gpuAvailable;
    private static String gpuProblem;

    private Dispatcher() {
    }

    /** Adds a layer on top of every device's ops (ServiceLoader finds registered ones by itself). */
    public static synchronized void register(DispatchLayer layer) {
        loadLayers();
        if (!LAYERS.contains(layer)) {
            LAYERS.add(layer);
            LAYERS.sort((x, y) -> Integer.compare(x.priority(), y.priority()));
            TOPS.clear();
        }
    }

    /** The layers now stacked above the kernels, bottom first. */
    public static synchronized List<DispatchLayer> layers() {
        loadLayers();
        return List.copyOf(LAYERS);
    }

    /** The top of the ops stack for the device all inputs share (null inputs are skipped). */
    public static TensorOps opsFor(Tensor... inputs) {
        Device device = null;
        for (Tensor t : inputs) {
            if (t == null) {
                continue;
            }
            if (device == null) {
                device = t.device();
            } else if (t.device() != device) {
                throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, "
                        + t.device() + " and " + device + "!");
            }
        }
        return ops(device == null ? Device.CPU : device);
    }

    /** The top of the ops stack of {@code device}. */
    public static synchronized TensorOps ops(Device device) {
        TensorOps top = TOPS.get(device);
        if (top == null) {
            loadLayers();
            top = belowAutograd(device);
            for (DispatchLayer layer : LAYERS) {
                top = layer.wrap(top);
            }
            TOPS.put(device, top);
        }
        return top;
    }

    /**
     * The bare backend of {@code device}, below every layer: what PyTorch calls dispatching below
     * autograd. Ops called here are never recorded, so only code that must not be recorded (a
     * backend's own plumbing, the engine's {@code .data}) calls it.
     */
    public static synchronized Backend belowAutograd(Device device) {
        Backend b = BACKENDS.get(device);
        if (b == null) {
            if (device == Device.CPU) {
                b = new dev.steptorch.tensor.cpu.CpuBackend();
            } else {
                if (!gpuAvailable()) {
                    throw new IllegalStateException(NO_GPU + " (" + gpuProblem + ")");
                }
                b = loadGpu();
            }
            BACKENDS.put(device, b);
        }
        return b;
    }

    /** Installs a backend for a device (the OpenCL backend, or a test double). */
    public static synchronized void setBackend(Device device, Backend backend) {
        BACKENDS.put(device, backend);
        TOPS.remove(device);
        if (device == Device.GPU) {
            gpuAvailable = true;
        }
    }

    static synchronized boolean gpuAvailable() {
        if (gpuAvailable == null) {
            try {
                Backend b = loadGpu();
                BACKENDS.put(Device.GPU, b);
                gpuAvailable = true;
            } catch (LinkageError | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                gpuProblem = cause.getClass().getSimpleName() + ": " + cause.getMessage();
                gpuAvailable = false;
            }
        }
        return gpuAvailable;
    }

    private static Backend loadGpu() {
        try {
            return (Backend) Class.forName(GPU_BACKEND).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
        }
    }

    private static void loadLayers() {
        if (!layersLoaded) {
            layersLoaded = true;
            for (DispatchLayer layer : ServiceLoader.load(DispatchLayer.class)) {
                LAYERS.add(layer);
            }
            LAYERS.sort((x, y) -> Integer.compare(x.priority(), y.priority()));
        }
    }
}
