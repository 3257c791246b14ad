/**
 * The application as it runs: loads the configuration (defaults, file, environment), sets up logging, metrics and
 * tracing, deploys the verticles of the other packages ({@link com.catvsnoncat.app.Application}) and stops them in
 * order. The one place that knows every service; nothing below it knows the application.
 *
 * <p>May use: classifier, config, gateway, tracing, weather, web.
 */
package com.catvsnoncat.app;
