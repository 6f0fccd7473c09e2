package dev.sluice.internal.loop;

import dev.sluice.internal.connection.ConnectionTable;

/**
 * A control command handed to a loop from another thread through its {@link CommandStage}: a channel to set up, a
 * listener to register, or a connection to close. Each command knows how to run on the loop and how to give back what
 * it holds when the loop is stopping and will never run it. Commands are made per connection, listener or close
 * (set-up and closes may allocate; frames may not).
 */
abstract class LoopCommand
{
    /**
     * Runs on the loop thread.
     *
     * @param stage the loop's command stage.
     */
    abstract void execute(CommandStage stage);

    /**
     * The loop is stopping: closes what the command holds and returns any reservation it carries (any thread).
     *
     * @param table the loop's connection table.
     */
    abstract void refuse(ConnectionTable table);
}
