/**
 * The static-content service: the webroot and the WebJar files the page uses, read from the jar once and kept in
 * memory with a gzip copy (made by the build, StaticPrecompression), ETags and cache headers (nothing is extracted to
 * disk), answered on the event bus; and the router an HTTP server mounts to hand its GETs to it.
 *
 * <p>May use: bus.
 */
package com.catvsnoncat.web;
