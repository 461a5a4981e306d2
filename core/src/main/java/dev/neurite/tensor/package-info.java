/**
 * Tensors and the kernels that compute on them. Plugins use four classes, which are API:
 *
 * <ul>
 *   <li>{@link dev.neurite.tensor.Tensor}: a float32 array with a {@link dev.neurite.tensor.Shape},
 *       row-major, batch first; {@code Tensor.reuse} keeps buffers across batches.
 *   <li>{@link dev.neurite.tensor.Shape}: immutable dimensions; layers see per-sample shapes.
 *   <li>{@link dev.neurite.tensor.Parallel}: splits a batch across the kernel threads
 *       ({@code forRanges}) or runs two independent tasks side by side ({@code both}).
 *   <li>{@link dev.neurite.tensor.Kernels}: matrix products ({@code gemm}), row sums and broadcasts
 *       on raw arrays, with the same bits on every thread count.
 * </ul>
 *
 * The rest ({@code BatchViews}, the GEMM and elementwise kernels behind {@code Kernels}) serves the
 * engine and may change. docs/performance.md explains how the kernels work.
 */
package dev.neurite.tensor;
