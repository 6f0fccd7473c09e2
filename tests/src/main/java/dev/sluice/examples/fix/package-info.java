/**
 * A FIX 4.4 gateway on the engine, built as an application would build it: so far the tag=value framing
 * ({@link dev.sluice.examples.fix.FixFrameCodec}), which drops garbled messages and goes on, as the FIX session
 * protocol asks.
 */
package dev.sluice.examples.fix;
