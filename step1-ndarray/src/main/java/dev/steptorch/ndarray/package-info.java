/**
 * Step 1: NumPy-style n-dimensional arrays over flat primitive storage.
 *
 * <p>{@link dev.steptorch.ndarray.NDArray} is the one public array type: storage plus shape, strides
 * and offset, with views, broadcasting, reductions, the matrix product and NumPy's printing.
 * {@link dev.steptorch.ndarray.Index} spells NumPy subscripts, {@link dev.steptorch.ndarray.NDRandom}
 * is the seedable generator and {@link dev.steptorch.ndarray.DType} names the element types. The
 * other classes are package-private kernels and helpers, one idea each: shape arithmetic
 * ({@code Shapes}, {@code ReshapeStrides}), strided iteration ({@code StridedLoop}), elementwise and
 * reduction kernels ({@code BinaryOp}, {@code UnaryOp}, {@code CompareOp}, {@code Reduction}), the
 * blocked parallel matrix product ({@code MatMul}) and printing ({@code ArrayPrinter},
 * {@code FloatFormat}).
 */
package dev.steptorch.ndarray;
