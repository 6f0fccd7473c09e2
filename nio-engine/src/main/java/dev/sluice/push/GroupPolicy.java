package dev.sluice.push;

/** What a {@link PushGroup} does with a member that is behind when a frame is delivered to it. */
public enum GroupPolicy
{
    /**
     * The member misses the frame (counted), and stays connected: a member that is backed up (a write to it was
     * partial and has not drained), or whose unsent bytes would pass the room group frames have with the frame, does
     * not get it: for low frames the shed share, for high ones the send cap less what the member's own pushes may
     * still need ({@code EngineConfig.groupLowRoom()}, {@code groupHighRoom()}). The other members are not delayed.
     * For data where the next frame supersedes the last (quotes, top of book).
     */
    SKIP_SLOW,
    /**
     * The member gets every frame or is dropped: frames go into its send buffer whatever its pace, and one that would
     * pass its send cap closes it as a slow consumer (counted). Members that stay connected never see a gap. For
     * sequenced data where a gap needs a recovery anyway.
     */
    DROP_SLOW
}
