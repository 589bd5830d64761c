package dev.steptorch.tensor.opencl;

import com.aparapi.internal.exception.AparapiException;
import com.aparapi.internal.model.ClassModel;
import com.aparapi.internal.writer.KernelWriter;

/**
 * Prints the OpenCL C that Aparapi generates from the bytecode of {@link TensorKernel}: the same
 * text it hands to the OpenCL compiler at the first GPU op. Translating needs no OpenCL device.
 * Run it to see how each Java method became a C function and each field a kernel argument.
 */
public final class KernelSource {
    private KernelSource() {
    }

    /** The generated OpenCL source of the tensor kernel. */
    public static String openCl() {
        OpenClRuntime.quietAparapi();
        try {
            return KernelWriter.writeToString(ClassModel.createClassModel(TensorKernel.class)
                    .getEntrypoint("run", new TensorKernel()));
        } catch (AparapiException e) {
            throw new IllegalStateException("Aparapi could not translate TensorKernel: " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) {
        System.out.println(openCl());
    }
}
