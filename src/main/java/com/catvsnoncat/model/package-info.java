/**
 * Model files: reading and writing a trained model (network, input standardisation, feature extractor, metadata)
 * as a numpy .npz, the original system's pickle-in-npz, and the bundled default model, checking everything read
 * before trusting it.
 *
 * <p>May use: data, nn.
 */
package com.catvsnoncat.model;
