package dev.sluice.config;

/**
 * Who runs the event loops.
 */
public enum ThreadingMode
{
    /** The engine starts one thread per loop. The default. */
    DEDICATED,
    /**
     * The engine starts no threads; the caller drives each loop with {@code Engine.doWork(loop)}, as with Agrona's
     * {@code AgentInvoker}. For JMH suites, deterministic tests with a virtual clock, and applications that own
     * their threads.
     */
    INVOKER
}
