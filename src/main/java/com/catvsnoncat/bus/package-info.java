/**
 * What every event-bus service shares: the failure codes a service fails a message with (the HTTP status the
 * gateway answers), the request id carried as a message header for the logs, the one way a service puts a
 * deadline on its work ({@link com.catvsnoncat.bus.Deadlines}), and the codec that delivers immutable message
 * records by reference ({@link com.catvsnoncat.bus.LocalCodec}).
 *
 * <p>May use: nothing else in the project.
 */
package com.catvsnoncat.bus;
