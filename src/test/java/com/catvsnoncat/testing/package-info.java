/**
 * Test support every test package may use (waiting for futures, the shape of error responses), so no test borrows
 * helpers from another test class.
 */
package com.catvsnoncat.testing;
