/**
 * The page and its assets: the webroot and the WebJar files the page uses, read from the jar once and kept in
 * memory, served with ETags and cache headers; nothing is extracted to disk.
 *
 * <p>May use: nothing else in the project.
 */
package com.catvsnoncat.web;
