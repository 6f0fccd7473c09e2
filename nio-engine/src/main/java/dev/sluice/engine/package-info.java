/**
 * API: the entry point. {@link dev.sluice.engine.Engine} starts the loops from a configuration, listens, connects,
 * drives loops in invoker mode, exposes counters, sessions and the response publisher, and shuts down.
 */
package dev.sluice.engine;
