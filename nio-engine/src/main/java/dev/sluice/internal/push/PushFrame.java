package dev.sluice.internal.push;

/**
 * Describes one pooled off-heap slot while it carries a pushed frame. One instance per slot, created with the pool,
 * so a push allocates nothing. A producer fills the fields and then offers the frame to a queue; the queue's release
 * store and the loop's acquiring poll make the fields and the slot's bytes visible to the loop.
 */
final class PushFrame
{
    final int slot;
    int length;
    long connectionId;

    PushFrame(final int slot)
    {
        this.slot = slot;
    }
}
