/**
 * Internal: connections and their outbound side, owned by one loop thread.
 * {@link dev.sluice.internal.connection.LoopConnection} (the engine's {@code Connection}) in its
 * {@link dev.sluice.internal.connection.ConnectionTable}, its receive and send buffers, the flush list, open claims,
 * the {@link dev.sluice.internal.connection.SlowConsumerRule} (the send cap and the no-progress timeout, in one
 * place), the writer and the idle keep-alive. Not an API.
 */
package dev.sluice.internal.connection;
