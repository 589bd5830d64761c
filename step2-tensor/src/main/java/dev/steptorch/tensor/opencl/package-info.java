/**
 * The OpenCL backend of {@code Device.GPU}, through Aparapi.
 *
 * <p>Layers, bottom up:
 * <ul>
 *   <li>{@link dev.steptorch.tensor.opencl.TensorKernel}: the one Aparapi kernel; every op is a
 *       branch of its {@code run()}, over one device arena per dtype.</li>
 *   <li>{@link dev.steptorch.tensor.opencl.DeviceHeap} and
 *       {@link dev.steptorch.tensor.opencl.DeviceBlock}: blocks of the arenas, released when
 *       unreachable; uploads and downloads through small staging arrays.</li>
 *   <li>{@link dev.steptorch.tensor.opencl.Launcher}: fills the kernel's fields and its flat
 *       shape/stride record for one launch, merging dimensions where it can.</li>
 *   <li>{@link dev.steptorch.tensor.opencl.GpuKernels} over
 *       {@link dev.steptorch.tensor.opencl.GpuView}s: one method per tensor op, taking already
 *       checked, already broadcast-compatible views; this is what the GPU {@code TensorOps} calls.</li>
 *   <li>{@link dev.steptorch.tensor.opencl.OpenClRuntime}: finds the device, compiles once, refuses
 *       Aparapi's silent Java fallback. {@link dev.steptorch.tensor.opencl.OpenCl} is its public
 *       face ({@code isAvailable()}), {@link dev.steptorch.tensor.opencl.OpenClStats} counts the
 *       host/device traffic, {@link dev.steptorch.tensor.opencl.KernelSource} prints the generated
 *       OpenCL.</li>
 * </ul>
 * Nothing here runs, or loads OpenCL, until a GPU tensor or {@code OpenCl.isAvailable()} is used.
 */
package dev.steptorch.tensor.opencl;
