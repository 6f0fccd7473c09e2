package dev.sluice.tests;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;

/** Started by {@link JvmFlagTest} in a JVM without the flags the engine needs. */
final class StartWithoutJvmFlagMain
{
    private StartWithoutJvmFlagMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            System.out.println("started " + engine.loopCount());
        }
        catch (final IllegalStateException ex)
        {
            System.out.println("refused: " + ex.getMessage());
        }
    }
}
