/**
 * Configuration facts every package may read: the defaults ({@code config/defaults.json}, the one place every key
 * is written), the checks that make a typo fail start-up with the key's name, and the version the build stamped.
 *
 * <p>May use: nothing else in the project.
 */
package com.catvsnoncat.config;
