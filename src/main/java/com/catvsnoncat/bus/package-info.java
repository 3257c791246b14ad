/**
 * What every event-bus service shares: the failure codes a service fails a message with (the HTTP status the
 * gateway answers) and the request id carried as a message header for the logs.
 *
 * <p>May use: nothing else in the project.
 */
package com.catvsnoncat.bus;
