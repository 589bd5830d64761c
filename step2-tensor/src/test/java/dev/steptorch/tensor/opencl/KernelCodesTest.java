package dev.steptorch.tensor.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.BinaryOp;
import dev.steptorch.tensor.ReduceOp;
import dev.steptorch.tensor.UnaryOp;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the enums' kernel codes to the literal constants the OpenCL kernel branches on (Aparapi
 * needs literals, so the numbers are written twice): {@code TensorKernel.FN_SIN} must be
 * {@code UnaryOp.SIN.kernelCode()}, and so on for every op.
 */
class KernelCodesTest {
    private static int constant(String name) throws ReflectiveOperationException {
        Field f = TensorKernel.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.getInt(null);
    }

    @Test
    void everyUnaryOpHasItsKernelBranchCode() throws ReflectiveOperationException {
        for (UnaryOp op : UnaryOp.values()) {
            assertThat(constant("FN_" + op.name())).as("TensorKernel.FN_%s", op.name()).isEqualTo(op.kernelCode());
        }
    }

    @Test
    void everyBinaryOpHasItsKernelBranchCode() throws ReflectiveOperationException {
        for (BinaryOp op : BinaryOp.values()) {
            assertThat(constant("FN_" + op.name())).as("TensorKernel.FN_%s", op.name()).isEqualTo(op.kernelCode());
            // the kernel tells comparisons, which write bool, by their codes
            assertThat(op.kernelCode() >= constant("FN_EQ")).as("%s is a comparison", op).isEqualTo(op.isComparison());
        }
    }

    @Test
    void reductionsUseTheKernelsReductionBranches() throws ReflectiveOperationException {
        Map<ReduceOp, String> branch = Map.of(ReduceOp.SUM, "FN_SUM", ReduceOp.MEAN, "FN_SUM", ReduceOp.PROD, "FN_PROD",
                ReduceOp.MAX, "FN_MAX", ReduceOp.MIN, "FN_MIN");
        for (ReduceOp op : ReduceOp.values()) {
            assertThat(constant(branch.get(op))).as("%s", op).isEqualTo(op.kernelCode());
        }
    }
}
