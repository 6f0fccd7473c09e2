/**
 * The demonstration the README's first command runs: an engine on loopback, request/response clients, a pushing
 * thread, live progress and a report (frames/s, latency percentiles, loop-thread allocation, drops).
 */
package dev.sluice.demo;
