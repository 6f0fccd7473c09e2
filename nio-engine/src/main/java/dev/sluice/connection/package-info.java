/**
 * API: what an application sees of a connection, on its loop thread. {@link dev.sluice.connection.ConnectionHandler}
 * receives open, frame and close callbacks; {@link dev.sluice.connection.Connection} sends (copy or claim/commit),
 * says "not now", closes and hands out its push handle; {@link dev.sluice.connection.CloseReason} names every close.
 */
package dev.sluice.connection;
