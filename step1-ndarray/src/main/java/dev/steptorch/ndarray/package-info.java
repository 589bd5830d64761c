/**
 * Step 1: NumPy-style n-dimensional arrays over flat primitive storage.
 *
 * <p>{@link dev.steptorch.ndarray.NDArray} is the one public array type: storage plus shape, strides
 * and offset, with views, broadcasting, reductions, the matrix product and NumPy's printing, all
 * as the array's methods. {@link dev.steptorch.ndarray.NumPy} holds NumPy's module functions
 * ({@code np.zeros}, {@code np.random}, {@code np.maximum}, ...).
 * {@link dev.steptorch.ndarray.Index} spells NumPy subscripts, {@link dev.steptorch.ndarray.NDRandom}
 * is the seedable generator and {@link dev.steptorch.ndarray.DType} names the element types. Shape
 * and stride arithmetic ({@link dev.steptorch.ndarray.Shapes}, {@link dev.steptorch.ndarray.ReshapeStrides})
 * is public so that step 2 can reuse it. The other classes are kernels and helpers, one idea each:
 * strided iteration ({@code StridedLoop}), the ufunc loops over whole arrays ({@code Ufuncs}),
 * elementwise and reduction kernels ({@code BinaryOp}, {@code UnaryOp}, {@code CompareOp},
 * {@code Reduction}), the blocked parallel matrix product ({@code MatMul}) and printing
 * ({@code ArrayPrinter}, {@code FloatFormat}).
 */
package dev.steptorch.ndarray;
