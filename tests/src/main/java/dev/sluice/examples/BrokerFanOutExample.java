package dev.sluice.examples;

import java.util.List;

import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushPolicy;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;

/**
 * A broker fanning one message out to many subscribers with non-blocking drop-if-full pushes: a subscriber that
 * cannot keep up loses messages (counted) instead of slowing the publisher or anyone else. Quoted in
 * {@code docs/users-guide.md}; {@code PushExamplesTest} runs it.
 */
public final class BrokerFanOutExample
{
    private BrokerFanOutExample()
    {
    }

    /**
     * Publishes one message to every subscriber.
     *
     * @param subscribers the subscribers' push handles.
     * @param message     the message bytes.
     * @param offset      where they start.
     * @param length      how many.
     * @return how many subscribers got it queued (the rest were dropped or closed).
     */
    public static int publish(final List<PushHandle> subscribers, final DirectBuffer message, final int offset,
        final int length)
    {
        int queued = 0;
        for (int i = 0; i < subscribers.size(); i++)
        {
            final PushHandle subscriber = subscribers.get(i);
            if (subscriber.push(message, offset, length, Priority.LOW, PushPolicy.DROP_IF_FULL) == PushResult.ACCEPTED)
            {
                queued++;
            }
        }
        return queued;
    }
}
