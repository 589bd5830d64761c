package dev.steptorch.tensor.opencl;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device memory for GPU tensors: one arena per dtype (a Java array that Aparapi mirrors on the
 * device), carved into blocks by a first-fit allocator.
 *
 * <p>The arena array itself is never read on the host while tensors live in it: the device copy is
 * the truth. Tensor data crosses only through small staging arrays: an upload fills a staging array,
 * puts it, and a copy launch scatters it into the arena; a download gathers into a staging array and
 * gets it. So moving one tensor costs about its own size, not the arena's. The arena is copied whole
 * only when it grows (rare: capacity doubles).
 *
 * <p>Every method runs under the kernel's lock, as launches do, because blocks are freed from a
 * cleaner thread when GPU storages become unreachable.
 */
final class DeviceHeap {
    private static final int[] ELEMENT_BYTES = {4, 8, 8, 1};
    private static final int INITIAL_CAPACITY = 1 << 16;
    /** Arena size (elements) from which a collection is tried before growing; 16 Mi float32 is 64 MiB. */
    static final int COLLECT_ABOVE = 1 << 24;
    private static final int MIN_STAGE = 16;

    private final TensorKernel kernel;
    private final int[] capacity = new int[4];
    private final int[] used = new int[4];
    @SuppressWarnings("unchecked")
    private final TreeMap<Integer, Integer>[] free = new TreeMap[4];
    @SuppressWarnings("unchecked")
    private final Map<Integer, Object>[] stages = new Map[4];

    DeviceHeap(TensorKernel kernel) {
        this.kernel = kernel;
        for (int t = 0; t < 4; t++) {
            free[t] = new TreeMap<>();
            stages[t] = new HashMap<>();
        }
    }

    static int elementBytes(int dtype) {
        return ELEMENT_BYTES[dtype];
    }

    /**
     * Offset of a new block of n elements in the arena of the given dtype. Blocks come back only
     * when the garbage collector finds their tensors unreachable, and Java collects by the size of
     * its own heap, where a GPU tensor is a few bytes. So before an arena past
     * {@link #COLLECT_ABOVE} elements grows, the collector is asked to run first: otherwise a
     * training loop would grow the arena until the device refuses the buffer.
     */
    int allocate(int dtype, int n) {
        if (n == 0) {
            return 0;
        }
        synchronized (kernel) {
            int offset = firstFit(dtype, n);
            if (offset >= 0) {
                return offset;
            }
            if (capacity[dtype] < COLLECT_ABOVE) {
                return growAndFit(dtype, n);
            }
        }
        collectGarbage(dtype);
        synchronized (kernel) {
            int offset = firstFit(dtype, n);
            return offset >= 0 ? offset : growAndFit(dtype, n);
        }
    }

    private int growAndFit(int dtype, int n) {
        grow(dtype, n);
        return firstFit(dtype, n);
    }

    /** Runs the collector and gives the cleaner thread a moment to hand the dead blocks back. */
    private void collectGarbage(int dtype) {
        int before = used(dtype);
        System.gc();
        for (int i = 0; i < 20 && used(dtype) == before; i++) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The first free range that holds n elements, taken out of the free list; -1 if none does. */
    private int firstFit(int dtype, int n) {
        for (Map.Entry<Integer, Integer> e : free[dtype].entrySet()) {
            // Read both before removing: TreeMap may reuse a removed entry's node for its successor.
            int offset = e.getKey();
            int length = e.getValue();
            if (length >= n) {
                free[dtype].remove(offset);
                if (length > n) {
                    free[dtype].put(offset + n, length - n);
                }
                used[dtype] += n;
                return offset;
            }
        }
        return -1;
    }

    /** Returns a block to the free list. */
    void release(int dtype, int offset, int n) {
        synchronized (kernel) {
            if (n == 0) {
                return;
            }
            used[dtype] -= n;
            addFree(dtype, offset, n);
        }
    }

    /** Adds a free range, merging it with free neighbours so large blocks can form again. */
    private void addFree(int dtype, int offset, int n) {
        int start = offset;
        int length = n;
        Map.Entry<Integer, Integer> before = free[dtype].floorEntry(offset);
        if (before != null && before.getKey() + before.getValue() == offset) {
            start = before.getKey();
            length += before.getValue();
            free[dtype].remove(before.getKey());
        }
        Integer after = free[dtype].get(offset + n);
        if (after != null) {
            length += after;
            free[dtype].remove(offset + n);
        }
        free[dtype].put(start, length);
    }

    /** Elements in use in an arena (for tests of the allocator and for leak checks). */
    int used(int dtype) {
        synchronized (kernel) {
            return used[dtype];
        }
    }

    /**
     * Doubles an arena until a block of n fits: fetch the old arena from the device, copy it into a
     * larger array, and put that array back, so live tensors survive the move.
     */
    private void grow(int dtype, int n) {
        int old = capacity[dtype];
        long wanted = Math.max(INITIAL_CAPACITY, (long) old * 2);
        while (wanted < (long) old + n) {
            wanted *= 2;
        }
        if (wanted > Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError("GPU arena for dtype code " + dtype + " cannot hold " + n + " more elements");
        }
        int cap = (int) wanted;
        long oldBytes = (long) Math.max(old, 1) * ELEMENT_BYTES[dtype];
        long newBytes = (long) cap * ELEMENT_BYTES[dtype];
        if (dtype == TensorKernel.F32) {
            if (old > 0) {
                kernel.get(kernel.f32);
            }
            float[] a = new float[cap];
            System.arraycopy(kernel.f32, 0, a, 0, old);
            kernel.f32 = a;
            kernel.put(a);
        } else if (dtype == TensorKernel.F64) {
            if (old > 0) {
                kernel.get(kernel.f64);
            }
            double[] a = new double[cap];
            System.arraycopy(kernel.f64, 0, a, 0, old);
            kernel.f64 = a;
            kernel.put(a);
        } else if (dtype == TensorKernel.I64) {
            if (old > 0) {
                kernel.get(kernel.i64);
            }
            long[] a = new long[cap];
            System.arraycopy(kernel.i64, 0, a, 0, old);
            kernel.i64 = a;
            kernel.put(a);
        } else {
            if (old > 0) {
                kernel.get(kernel.b8);
            }
            boolean[] a = new boolean[cap];
            System.arraycopy(kernel.b8, 0, a, 0, old);
            kernel.b8 = a;
            kernel.put(a);
        }
        if (old > 0) {
            OpenClStats.countDownload(oldBytes);
        }
        OpenClStats.countUpload(newBytes);
        capacity[dtype] = cap;
        addFree(dtype, old, cap - old);
    }

    /**
     * Makes the kernel's staging field for dtype an array of at least n elements and returns it.
     * Staging arrays come in power-of-two sizes and are kept, so repeated transfers of similar
     * size reuse one device buffer instead of creating a new one each time.
     */
    Object stage(int dtype, int n) {
        int size = Math.max(MIN_STAGE, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
        Object array = stages[dtype].get(size);
        if (array == null) {
            array = dtype == TensorKernel.F32 ? new float[size]
                    : dtype == TensorKernel.F64 ? new double[size]
                    : dtype == TensorKernel.I64 ? (Object) new long[size] : new boolean[size];
            stages[dtype].put(size, array);
        }
        Object current = dtype == TensorKernel.F32 ? kernel.sf32
                : dtype == TensorKernel.F64 ? kernel.sf64
                : dtype == TensorKernel.I64 ? kernel.si64 : kernel.sb8;
        if (current != array) {
            // A new array reference makes Aparapi create a fresh device buffer initialised from it.
            OpenClStats.countUpload((long) size * ELEMENT_BYTES[dtype]);
            if (dtype == TensorKernel.F32) {
                kernel.sf32 = (float[]) array;
            } else if (dtype == TensorKernel.F64) {
                kernel.sf64 = (double[]) array;
            } else if (dtype == TensorKernel.I64) {
                kernel.si64 = (long[]) array;
            } else {
                kernel.sb8 = (boolean[]) array;
            }
        }
        return array;
    }

    /** Queues the staging array for upload with the next launch, counting its bytes. */
    void putStage(int dtype, Object array) {
        long bytes = (long) java.lang.reflect.Array.getLength(array) * ELEMENT_BYTES[dtype];
        OpenClStats.countUpload(bytes);
        if (array instanceof float[]) {
            kernel.put((float[]) array);
        } else if (array instanceof double[]) {
            kernel.put((double[]) array);
        } else if (array instanceof long[]) {
            kernel.put((long[]) array);
        } else {
            kernel.put((boolean[]) array);
        }
    }

    /** Fetches the staging array from the device, counting its bytes. */
    void getStage(int dtype, Object array) {
        long bytes = (long) java.lang.reflect.Array.getLength(array) * ELEMENT_BYTES[dtype];
        OpenClStats.countDownload(bytes);
        if (array instanceof float[]) {
            kernel.get((float[]) array);
        } else if (array instanceof double[]) {
            kernel.get((double[]) array);
        } else if (array instanceof long[]) {
            kernel.get((long[]) array);
        } else {
            kernel.get((boolean[]) array);
        }
    }
}
