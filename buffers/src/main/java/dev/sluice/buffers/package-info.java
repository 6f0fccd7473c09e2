/**
 * Preallocated off-heap memory: {@link dev.sluice.buffers.DirectChunkPool} hands out cache-line aligned chunks of
 * direct memory (connection buffers, the push queues of each connection slot) from segments allocated once, and
 * {@link dev.sluice.buffers.DirectMemory} allocates and frees such segments. Nothing here allocates after construction.
 */
package dev.sluice.buffers;
