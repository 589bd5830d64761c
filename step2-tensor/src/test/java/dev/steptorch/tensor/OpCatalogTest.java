package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The catalog has exactly one row for every op of every family, so no op goes untested. */
class OpCatalogTest {
    @Test
    void everyUnaryOpHasOneRow() {
        assertThat(OpCatalog.UNARY.stream().map(OpCatalog.Unary::op).collect(Collectors.toList()))
                .as("add a row to OpCatalog.UNARY for each new UnaryOp").containsExactlyInAnyOrder(UnaryOp.values());
    }

    @Test
    void everyBinaryOpHasOneRow() {
        assertThat(OpCatalog.BINARY.stream().map(OpCatalog.Binary::op).collect(Collectors.toList()))
                .as("add a row to OpCatalog.BINARY for each new BinaryOp").containsExactlyInAnyOrder(BinaryOp.values());
    }

    @Test
    void everyReductionHasOneRow() {
        assertThat(OpCatalog.REDUCE.stream().map(OpCatalog.Reduce::op).collect(Collectors.toList()))
                .as("add a row to OpCatalog.REDUCE for each new ReduceOp").containsExactlyInAnyOrder(ReduceOp.values());
    }

    @Test
    void torchNamesAreUnique() {
        assertThat(Arrays.stream(UnaryOp.values()).map(UnaryOp::torchName)).doesNotHaveDuplicates();
        assertThat(Arrays.stream(BinaryOp.values()).map(BinaryOp::torchName)).doesNotHaveDuplicates();
        assertThat(Arrays.stream(ReduceOp.values()).map(ReduceOp::torchName)).doesNotHaveDuplicates();
    }
}
