package dev.sluice.tests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import quickfix.ApplicationAdapter;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.SessionID;
import quickfix.field.MsgType;

/**
 * A QuickFIX/J application for the gateway's tests: counts logons and logouts, keeps the execution reports and cancel
 * rejects it receives, and the MsgType of every admin message it sends (a "3" there is its validation rejecting
 * something the gateway sent).
 */
class QuickFixTrader extends ApplicationAdapter
{
    final AtomicInteger logons = new AtomicInteger();
    final CountDownLatch loggedOn = new CountDownLatch(1);
    final CountDownLatch loggedOut = new CountDownLatch(1);
    final List<Message> reports = new CopyOnWriteArrayList<>();
    final List<Message> cancelRejects = new CopyOnWriteArrayList<>();
    final List<String> sentAdmin = new CopyOnWriteArrayList<>();

    @Override
    public void onLogon(final SessionID sessionId)
    {
        logons.incrementAndGet();
        loggedOn.countDown();
    }

    @Override
    public void onLogout(final SessionID sessionId)
    {
        loggedOut.countDown();
    }

    @Override
    public void fromApp(final Message message, final SessionID sessionId) throws FieldNotFound
    {
        (MsgType.EXECUTION_REPORT.equals(message.getHeader().getString(MsgType.FIELD)) ? reports : cancelRejects)
            .add(message);
    }

    @Override
    public void toAdmin(final Message message, final SessionID sessionId)
    {
        try
        {
            sentAdmin.add(message.getHeader().getString(MsgType.FIELD));
        }
        catch (final FieldNotFound ex)
        {
            sentAdmin.add("?");
        }
    }
}
