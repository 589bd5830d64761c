package dev.steptorch.tensor.opencl;

import com.aparapi.Config;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.internal.kernel.KernelManager;
import com.aparapi.internal.opencl.OpenCLPlatform;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds the OpenCL device, compiles {@link TensorKernel} for it once, and runs every launch on it.
 *
 * <p>Aparapi's habit is to fall back silently: when a kernel cannot be translated or compiled, or the
 * device fails, it marks the device as failed and runs the kernel's Java bytecode on a thread pool
 * instead. A tensor library must not do that behind the user's back (the result would be right but
 * the "GPU" would be the CPU, and device buffers would go stale), so this class compiles up front with
 * {@code Kernel.compile(device)}, which throws instead of falling back, and after each launch checks
 * that Aparapi still targets the OpenCL device; if it does not, it throws.
 */
final class OpenClRuntime {
    private static final String HOW_TO_GET_ONE = "Install an OpenCL driver for your GPU, or run OpenCL on the CPU"
            + " with PoCL (Debian/Ubuntu: apt-get install pocl-opencl-icd).";

    /** Aparapi's logger, held so the level set on it sticks (java.util.logging keeps loggers weakly). */
    private static Logger aparapiLog;

    private static volatile OpenClRuntime instance;
    private static volatile String unavailableReason;

    final OpenCLDevice device;
    final TensorKernel kernel;
    final DeviceHeap heap;

    private OpenClRuntime(OpenCLDevice device, TensorKernel kernel) {
        this.device = device;
        this.kernel = kernel;
        this.heap = new DeviceHeap(kernel);
    }

    /** True when an OpenCL device exists and the tensor kernel compiles for it. */
    static boolean isAvailable() {
        return tryGet() != null;
    }

    /** Why the GPU device cannot be used, or null when it can. */
    static String unavailableReason() {
        tryGet();
        return unavailableReason;
    }

    /** The runtime; throws with instructions when there is no usable OpenCL device. */
    static OpenClRuntime get() {
        OpenClRuntime rt = tryGet();
        if (rt == null) {
            throw new IllegalStateException("Device.GPU is not available: " + unavailableReason + " " + HOW_TO_GET_ONE);
        }
        return rt;
    }

    private static OpenClRuntime tryGet() {
        OpenClRuntime rt = instance;
        if (rt != null || unavailableReason != null) {
            return rt;
        }
        synchronized (OpenClRuntime.class) {
            if (instance == null && unavailableReason == null) {
                try {
                    instance = create();
                } catch (RuntimeException | LinkageError e) {
                    unavailableReason = e.getMessage() == null ? e.toString() : e.getMessage();
                }
            }
            return instance;
        }
    }

    private static OpenClRuntime create() {
        quietAparapi();
        OpenCLDevice device = pickDevice();
        TensorKernel kernel = new TensorKernel();
        // Data stays on the device: Aparapi copies an array only on put (host to device) and get.
        kernel.setExplicit(true);
        LinkedHashSet<Device> only = new LinkedHashSet<>(List.of(device));
        KernelManager.instance().setPreferredDevices(kernel, only);
        try {
            kernel.compile(device);
        } catch (CompileFailedException e) {
            throw new IllegalStateException("the tensor kernel does not compile for OpenCL device "
                    + device.getShortDescription() + ": " + e.getMessage(), e);
        }
        OpenClRuntime rt = new OpenClRuntime(device, kernel);
        // An empty launch binds the kernel's arguments. Until then Aparapi's native get() has no
        // argument table and crashes the JVM (SIGSEGV in getArgForBuffer) instead of failing.
        kernel.op = TensorKernel.OP_FILL;
        kernel.n = 0;
        rt.launch(0);
        return rt;
    }

    /**
     * Aparapi warns about every class-file attribute it does not know (our -parameters flag adds one
     * per method) and about the fallbacks this backend refuses anyway; errors still show. Aparapi's
     * Config sets the level when it initialises, so this initialises it first.
     */
    static synchronized void quietAparapi() {
        if (aparapiLog == null) {
            aparapiLog = Logger.getLogger(Config.getLoggerName());
            aparapiLog.setLevel(Level.SEVERE);
        }
    }

    /** A GPU if there is one, else an accelerator, else an OpenCL CPU device (PoCL). */
    private static OpenCLDevice pickDevice() {
        List<OpenCLDevice> devices = new ArrayList<>();
        for (OpenCLPlatform platform : OpenCLPlatform.getUncachedOpenCLPlatforms()) {
            devices.addAll(platform.getOpenCLDevices());
        }
        if (devices.isEmpty()) {
            throw new IllegalStateException("no OpenCL platform with a device was found.");
        }
        for (Device.TYPE type : List.of(Device.TYPE.GPU, Device.TYPE.ACC, Device.TYPE.CPU)) {
            for (OpenCLDevice d : devices) {
                if (d.getType() == type) {
                    return d;
                }
            }
        }
        return devices.get(0);
    }

    /** A one-line description such as "OpenCL CPU pthread-skylake-avx512 (The pocl project)". */
    String describe() {
        return "OpenCL " + device.getType() + " " + device.getName() + " (" + device.getOpenCLPlatform().getVendor() + ")";
    }

    /** Work-group size of every 1-D launch. */
    static final int LOCAL_SIZE = 64;

    /**
     * Runs the kernel with its fields as set, over at least n work items (the kernel ignores those
     * past n). The work-group size is always the same because PoCL compiles a kernel anew for every
     * work-group size it meets; letting Aparapi derive one from each n costs a compile per shape.
     */
    void launch(int n) {
        int groups = Math.max(1, (n + LOCAL_SIZE - 1) / LOCAL_SIZE);
        run(Range.create(device, groups * LOCAL_SIZE, LOCAL_SIZE));
    }

    /** Runs the kernel over a 2-D range (x along dimension 0). */
    void launch2D(int x, int y, int localX, int localY) {
        run(Range.create2D(device, x, y, localX, localY));
    }

    private void run(Range range) {
        kernel.execute(range);
        if (!device.equals(kernel.getTargetDevice())) {
            throw new IllegalStateException("Aparapi stopped running the tensor kernel on " + device.getShortDescription()
                    + " and fell back to " + kernel.getTargetDevice().getShortDescription()
                    + "; refusing to continue on a silent CPU fallback.");
        }
        OpenClStats.countLaunch();
    }
}
