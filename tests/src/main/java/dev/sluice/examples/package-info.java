/**
 * Runnable examples from the users' guide: an echo server, a gateway client, broker fan-out with non-blocking pushes,
 * and heartbeats during a long response stream.
 */
package dev.sluice.examples;
