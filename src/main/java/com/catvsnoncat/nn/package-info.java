/**
 * The neural network: the L-layer network's parameters, forward and backward propagation, training (gradient
 * descent, Adam, the direct solvers), metrics, cross-validation, saliency, and the pretrained MobileNetV2 feature
 * extractor. Plain numerical code on Commons Math matrices and the arrays behind them (the extractor's fast kernels
 * on the incubating Vector API, with scalar ones when the JVM lacks it); no Vert.x.
 *
 * <p>May use: data.
 */
package com.catvsnoncat.nn;
