package dev.sluice.push;

import org.agrona.DirectBuffer;

/**
 * A set of connections (a topic, a symbol) that one call pushes a frame to. Members join and leave from any thread,
 * and a connection that closes leaves every group by itself.
 * <p>
 * A push hands the frame over once to each loop that has members (or a join on its way), not once per member: it is
 * copied into the group's queue for that loop and priority, and the loop copies it into each member's send buffer. A
 * member that is behind is treated by the group's {@link GroupPolicy}; it never delays the others. Frames pushed to
 * a group reach a member in the order pushed within one priority; they are not ordered against the member's own
 * {@link PushHandle} pushes, and the member's rate limit and fairness counter do not count them.
 * <p>
 * Membership changes travel in the group's high-priority queue, in line with its frames: a frame pushed after
 * {@link #join} returned {@link PushResult#ACCEPTED} reaches the new member (unless the policy skips it there), and
 * none pushed after {@link #leave} returned does.
 * <p>
 * <b>Threading:</b> every method may be called from any thread, by any number of threads at once. Pushing, joining and
 * leaving allocate nothing; the loops allocate only when a group's member list grows.
 */
public interface PushGroup extends AutoCloseable
{
    /** @return the name given at creation (for logs and counters dumps). */
    String name();

    /** @return what the group does with a member that is behind. */
    GroupPolicy policy();

    /**
     * Adds a connection to the group. Joining twice is the same as joining once.
     *
     * @param member the connection's push handle.
     * @return {@link PushResult#ACCEPTED}; {@link PushResult#QUEUE_FULL} if the group's high queue for the member's
     *     loop has no room right now (try again); {@link PushResult#CLOSED} if the group or the connection is closed.
     */
    PushResult join(PushHandle member);

    /**
     * Removes a connection from the group; removing a connection that is not a member does nothing.
     *
     * @param member the connection's push handle.
     * @return {@link PushResult#ACCEPTED}, {@link PushResult#QUEUE_FULL} (try again) or {@link PushResult#CLOSED}.
     */
    PushResult leave(PushHandle member);

    /**
     * Pushes one frame to every member.
     *
     * @param src      payload bytes.
     * @param offset   where they start.
     * @param length   payload length, at most {@code PushConfig.maxPushPayload()}.
     * @param priority the queue to use: high frames go to members in the loop's high-priority stage, low frames in
     *                 its low-priority stage.
     * @return {@link PushResult#ACCEPTED} if every loop with members took it; {@link PushResult#QUEUE_FULL} if the
     *     group's queue on one of them was full: then the frame went to nobody (a push is all or nothing), and may be
     *     pushed again or dropped; {@link PushResult#FRAME_TOO_LARGE}; {@link PushResult#CLOSED} once the group is
     *     closed.
     */
    PushResult push(DirectBuffer src, int offset, int length, Priority priority);

    /** @return members, as last applied by their loops (joins still on their way are not counted yet). */
    int size();

    /** @return frames put into members' send buffers so far: one per member per frame. */
    long delivered();

    /** @return frames members missed under {@link GroupPolicy#SKIP_SLOW}: one per member per frame skipped. */
    long missed();

    /** @return members closed as slow consumers by a group frame under {@link GroupPolicy#DROP_SLOW}. */
    long membersDropped();

    /** Closes the group: every member leaves, and later calls answer {@link PushResult#CLOSED}. Idempotent. */
    @Override
    void close();
}
