/**
 * Pictures and data sets to input vectors: decoding image bytes (every format a user sends, bounded before
 * decoding), resizing to 64x64, scaling to [0, 1], and reading the reference HDF5 files and picture folders. The one
 * path from a picture to the network's input.
 *
 * <p>May use: nothing else in the project.
 */
package com.catvsnoncat.data;
