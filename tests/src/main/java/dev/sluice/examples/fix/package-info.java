/**
 * A FIX 4.4 gateway on the engine, built as an application would build it. So far: the tag=value framing
 * ({@link dev.sluice.examples.fix.FixFrameCodec}), which drops garbled messages and goes on, as the FIX session
 * protocol asks; a parser view and an encoder that work in place ({@link dev.sluice.examples.fix.FixMessage},
 * {@link dev.sluice.examples.fix.FixEncoder}); and the session layer ({@link dev.sluice.examples.fix.FixGateway}
 * over each connection's {@code FixSession}): Logon, heartbeats and TestRequests, MsgSeqNum rules with resends both
 * ways, Reject and Logout, tested with QuickFIX/J as the initiator.
 */
package dev.sluice.examples.fix;
