/**
 * The neural network: the L-layer network's parameters, forward and backward propagation, training (gradient
 * descent, Adam, the direct solvers), metrics, cross-validation, saliency, and the pretrained MobileNetV2 feature
 * extractor. Plain numerical code on Commons Math matrices and the arrays behind them (the extractor's fast kernels
 * on the incubating Vector API, with scalar ones when the JVM lacks it); no Vert.x.
 *
 * <p>Inside, matrices are the {@code double[][]} arrays (rows) that {@code Array2DRowRealMatrix} holds; Commons Math's
 * {@code RealMatrix} appears only on the public edges ({@link com.catvsnoncat.nn.Network}'s constructor and
 * accessors, {@link com.catvsnoncat.data.Dataset}). Optimisers have initialise and step but no finalise: see
 * {@link com.catvsnoncat.nn.Optimiser} for why.
 *
 * <p>May use: data.
 */
package com.catvsnoncat.nn;
