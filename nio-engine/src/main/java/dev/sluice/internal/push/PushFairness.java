package dev.sluice.internal.push;

/** Two cache lines before the counter: it is written on every high frame, by the loop alone. */
abstract class PushFairnessLhsPadding
{
    byte ba000, ba001, ba002, ba003, ba004, ba005, ba006, ba007, ba008, ba009, ba010, ba011, ba012, ba013, ba014, ba015;
    byte ba016, ba017, ba018, ba019, ba020, ba021, ba022, ba023, ba024, ba025, ba026, ba027, ba028, ba029, ba030, ba031;
    byte ba032, ba033, ba034, ba035, ba036, ba037, ba038, ba039, ba040, ba041, ba042, ba043, ba044, ba045, ba046, ba047;
    byte ba048, ba049, ba050, ba051, ba052, ba053, ba054, ba055, ba056, ba057, ba058, ba059, ba060, ba061, ba062, ba063;
    byte ba064, ba065, ba066, ba067, ba068, ba069, ba070, ba071, ba072, ba073, ba074, ba075, ba076, ba077, ba078, ba079;
    byte ba080, ba081, ba082, ba083, ba084, ba085, ba086, ba087, ba088, ba089, ba090, ba091, ba092, ba093, ba094, ba095;
    byte ba096, ba097, ba098, ba099, ba100, ba101, ba102, ba103, ba104, ba105, ba106, ba107, ba108, ba109, ba110, ba111;
    byte ba112, ba113, ba114, ba115, ba116, ba117, ba118, ba119, ba120, ba121, ba122, ba123, ba124, ba125, ba126, ba127;
}

/** The counter's state. */
abstract class PushFairnessFields extends PushFairnessLhsPadding
{
    int highRun;
    long runStartNs;
}

/** Two cache lines after it. */
abstract class PushFairnessRhsPadding extends PushFairnessFields
{
    byte bb000, bb001, bb002, bb003, bb004, bb005, bb006, bb007, bb008, bb009, bb010, bb011, bb012, bb013, bb014, bb015;
    byte bb016, bb017, bb018, bb019, bb020, bb021, bb022, bb023, bb024, bb025, bb026, bb027, bb028, bb029, bb030, bb031;
    byte bb032, bb033, bb034, bb035, bb036, bb037, bb038, bb039, bb040, bb041, bb042, bb043, bb044, bb045, bb046, bb047;
    byte bb048, bb049, bb050, bb051, bb052, bb053, bb054, bb055, bb056, bb057, bb058, bb059, bb060, bb061, bb062, bb063;
    byte bb064, bb065, bb066, bb067, bb068, bb069, bb070, bb071, bb072, bb073, bb074, bb075, bb076, bb077, bb078, bb079;
    byte bb080, bb081, bb082, bb083, bb084, bb085, bb086, bb087, bb088, bb089, bb090, bb091, bb092, bb093, bb094, bb095;
    byte bb096, bb097, bb098, bb099, bb100, bb101, bb102, bb103, bb104, bb105, bb106, bb107, bb108, bb109, bb110, bb111;
    byte bb112, bb113, bb114, bb115, bb116, bb117, bb118, bb119, bb120, bb121, bb122, bb123, bb124, bb125, bb126, bb127;
}

/**
 * The inline fairness counter of one connection: after {@code maxHighBeforeLow} consecutive high frames, or once
 * high frames have been going out for {@code timeSliceNs}, one waiting low frame goes next and the count restarts.
 * With both off, priority is strict. Example, limit 3 with six high and two low waiting: H H H L H H H L.
 * <p>
 * <b>Threading:</b> the connection's loop thread only; plain fields, padded on both sides (the class chain above)
 * so that its per-frame writes never share a cache line with what producers read.
 */
public final class PushFairness extends PushFairnessRhsPadding
{
    private final int maxHighBeforeLow;
    private final long timeSliceNs;

    /**
     * Creates the counter.
     *
     * @param maxHighBeforeLow consecutive high frames before a low one may go; 0 turns the counter off.
     * @param timeSliceNs      time high may run before a low one may go; 0 turns the slice off.
     */
    public PushFairness(final int maxHighBeforeLow, final long timeSliceNs)
    {
        this.maxHighBeforeLow = maxHighBeforeLow;
        this.timeSliceNs = timeSliceNs;
    }

    /**
     * Whether a waiting low frame is due before the next high one.
     *
     * @param nowNs the loop's current time.
     * @return true if low gets the next turn.
     */
    public boolean lowDue(final long nowNs)
    {
        return highRun > 0 &&
            ((maxHighBeforeLow > 0 && highRun >= maxHighBeforeLow) ||
            (timeSliceNs > 0 && nowNs - runStartNs >= timeSliceNs));
    }

    /**
     * High frames went in a row.
     *
     * @param frames how many.
     * @param nowNs  the loop's time.
     */
    public void onHighs(final int frames, final long nowNs)
    {
        if (highRun == 0)
        {
            runStartNs = nowNs;
        }
        highRun += frames;
    }

    /**
     * How many high frames may go in a row, now that a low frame waits: the rest of the count before a low one is
     * due, at least one (the time slice is checked between such runs, with {@link #lowDue}).
     *
     * @param budget the most frames the caller would send.
     * @return frames, from 1 to {@code budget}.
     */
    public int highsBeforeLowDue(final int budget)
    {
        return maxHighBeforeLow > 0 ? Math.max(1, Math.min(budget, maxHighBeforeLow - highRun)) : budget;
    }

    /**
     * One high frame went.
     *
     * @param nowNs the loop's time.
     */
    public void onHigh(final long nowNs)
    {
        if (highRun == 0)
        {
            runStartNs = nowNs;
        }
        highRun++;
    }

    /** Records a low frame sent: the run of high frames is over. */
    public void onLow()
    {
        highRun = 0;
    }

    /** Forgets the state, for a connection slot that serves a new peer. */
    public void reset()
    {
        highRun = 0;
    }
}
