/**
 * Runnable examples from the users' guide: an echo server, a gateway client, broker fan-out with non-blocking pushes,
 * heartbeats during a long response stream, and a market-data server on push groups.
 */
package dev.sluice.examples;
