/** Step 1: NumPy-style n-dimensional arrays over flat primitive storage. */
package dev.steptorch.ndarray;
