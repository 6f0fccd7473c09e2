/**
 * Internal: event loops. {@link dev.sluice.internal.loop.EngineCore} builds them; each {@code EventLoop} runs its
 * stages in order (commands, high pushes, ready keys, low pushes, gated responses, timers, flush) on its own thread
 * ({@code LoopRunner}, {@code LoopPinning}) or the caller's; the {@code Acceptor} spreads new channels over the loops.
 * Not an API.
 */
package dev.sluice.internal.loop;
