package dev.steptorch.tensor.opencl;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what crosses between host and device: tensor data (uploads, downloads, and the one-off
 * copies when an arena grows), the small shape/stride records each launch sends, and launches.
 *
 * <p>The counts are the bytes Aparapi is asked to move. On a discrete GPU they are real bus
 * transfers. On a CPU OpenCL device such as PoCL, Aparapi maps device buffers onto the Java arrays
 * themselves (CL_MEM_USE_HOST_PTR), so the same transfers are cheap memory copies or no-ops; the
 * counts still say what a GPU would have to move.
 */
public final class OpenClStats {
    private static final AtomicLong hostToDevice = new AtomicLong();
    private static final AtomicLong deviceToHost = new AtomicLong();
    private static final AtomicLong metadata = new AtomicLong();
    private static final AtomicLong launches = new AtomicLong();

    private OpenClStats() {
    }

    /** Tensor data bytes copied host to device since the last reset. */
    public static long hostToDeviceBytes() {
        return hostToDevice.get();
    }

    /** Tensor data bytes copied device to host since the last reset. */
    public static long deviceToHostBytes() {
        return deviceToHost.get();
    }

    /** Bytes of shape/stride records sent with launches since the last reset. */
    public static long metadataBytes() {
        return metadata.get();
    }

    /** Kernel launches since the last reset. */
    public static long launches() {
        return launches.get();
    }

    public static void reset() {
        hostToDevice.set(0);
        deviceToHost.set(0);
        metadata.set(0);
        launches.set(0);
    }

    /** One line for lessons and benchmarks. */
    public static String summary() {
        return String.format("host->device %,d B, device->host %,d B, launch records %,d B, %,d launches",
                hostToDeviceBytes(), deviceToHostBytes(), metadataBytes(), launches());
    }

    static void countUpload(long bytes) {
        hostToDevice.addAndGet(bytes);
    }

    static void countDownload(long bytes) {
        deviceToHost.addAndGet(bytes);
    }

    static void countMetadata(long bytes) {
        metadata.addAndGet(bytes);
    }

    static void countLaunch() {
        launches.incrementAndGet();
    }
}
