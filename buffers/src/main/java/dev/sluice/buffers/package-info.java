/**
 * Preallocated off-heap memory: {@link dev.sluice.buffers.DirectChunkPool} (cache-line aligned chunks for connection
 * buffers, handed out and taken back by one loop thread) and {@link dev.sluice.buffers.FrameSlotPool} (fixed-size
 * frame slots with a lock-free free list, shared by producers and a loop). Nothing here allocates after construction.
 */
package dev.sluice.buffers;
