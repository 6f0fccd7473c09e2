package dev.sluice.tests;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;

/** Started by {@link JvmFlagTest} in a JVM without some of the flags the engine needs. */
final class StartWithoutJvmFlagMain
{
    private StartWithoutJvmFlagMain()
    {
    }

    /** @param args {@code default}, or {@code requireZeroGarbage} to start with that switch on. */
    public static void main(final String[] args) throws Exception
    {
        final boolean strict = args.length > 0 && "requireZeroGarbage".equals(args[0]);
        try (Engine engine = Engine.start(EngineConfig.builder().requireZeroGarbage(strict).build()))
        {
            System.out.println("started " + engine.loopCount());
        }
        catch (final IllegalStateException ex)
        {
            System.out.println("refused: " + ex.getMessage());
        }
    }
}
