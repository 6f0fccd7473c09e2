package dev.sluice.internal.log;

import java.lang.System.Logger;

/**
 * The engine's loggers, one per topic, routed by the JDK's {@code System.Logger} to whatever backend the application
 * uses. Nothing on the per-frame path logs.
 */
public final class EngineLog
{
    /** Loops, connections, accepts, pinning, errors: {@code dev.sluice.engine}. */
    public static final Logger LOG = System.getLogger("dev.sluice.engine");
    /** Pushes: {@code dev.sluice.push}. */
    public static final Logger PUSH = System.getLogger("dev.sluice.push");
    /** The durability gate: {@code dev.sluice.gate}. */
    public static final Logger GATE = System.getLogger("dev.sluice.gate");

    private EngineLog()
    {
    }
}
