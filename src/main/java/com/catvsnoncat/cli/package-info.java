/**
 * The command line of the jar (picocli): serve, train, crossvalidate, evaluate, predict and import. Each command
 * parses its options and calls the packages that do the work; serve starts the application.
 *
 * <p>May use: app, classifier, config, data, model, nn, tracing.
 */
package com.catvsnoncat.cli;
