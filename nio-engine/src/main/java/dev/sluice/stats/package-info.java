/**
 * API: observability. {@link dev.sluice.stats.LoopCounters} are each loop's Agrona counters (single writer, release
 * stores, readable from any thread or, through {@link dev.sluice.stats.CountersFile}, from another process);
 * {@link dev.sluice.stats.CountersPrinter} prints them while the engine runs.
 */
package dev.sluice.stats;
