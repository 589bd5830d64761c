package dev.steptorch.tensor.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Aparapi's translation of the tensor kernel needs no device, so it is checked on every machine. */
class KernelSourceTest {
    @Test
    void theTensorKernelTranslatesToOneOpenClKernelWithEveryHelper() {
        String source = KernelSource.openCl();
        assertThat(source)
                .contains("#pragma OPENCL EXTENSION cl_khr_fp64 : enable")
                .contains("__kernel void run(")
                .contains("__global float *f32", "__global double *f64", "__global long *i64", "__global char  *b8")
                .contains("TensorKernel__offsetOf(This *this, int g, int k)")
                .contains("TensorKernel__matmul(This *this)")
                .contains("TensorKernel__reduce(This *this, int g)")
                // the window ops, inherited from WindowKernel, are translated into the same kernel
                .contains("WindowKernel__unfoldAt(This *this, int g)", "WindowKernel__foldAt(This *this, int g)",
                        "WindowKernel__maxPoolAt(This *this, int g)", "WindowKernel__maxPoolBackwardPlane(This *this, int g)");
    }

    @Test
    void longComparisonsInTheKernelOnlyEverCompareAgainstZero() {
        // Aparapi writes x < y on longs as (x - y) < 0, which overflows; cmpL avoids that form.
        String cmp = KernelSource.openCl().split("TensorKernel__cmpL\\(This \\*this, long x, long y\\)\\{")[1];
        cmp = cmp.substring(0, cmp.indexOf("return"));
        assertThat(cmp).contains("(x ^ y)").doesNotContain("(x - y)<0").doesNotContain("(x - y)>0");
    }
}
