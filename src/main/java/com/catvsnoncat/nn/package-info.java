/**
 * The neural network: the L-layer network's parameters, forward and backward propagation, training (gradient
 * descent, Adam, the direct solvers), metrics, cross-validation, saliency, and the pretrained MobileNetV2 feature
 * extractor. Plain numerical code on Commons Math matrices and the arrays behind them; no Vert.x.
 *
 * <p>May use: data.
 */
package com.catvsnoncat.nn;
