package dev.sluice.internal.push;

import java.lang.invoke.VarHandle;

import dev.sluice.push.PushConfig;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * Fields written once, when the target is built; read by producers and the loop.
 */
abstract class PushTargetFinalFields
{
    final int slot;
    final ManyToOneRingBuffer high;
    final ManyToOneRingBuffer low;
    final TokenBucket bucket;
    final PushFairness fairness;

    PushTargetFinalFields(final int slot, final PushConfig config, final TokenBucket bucket,
        final AtomicBuffer highMemory, final AtomicBuffer lowMemory)
    {
        this.slot = slot;
        this.high = new ManyToOneRingBuffer(highMemory);
        this.low = new ManyToOneRingBuffer(lowMemory);
        this.bucket = bucket;
        this.fairness = new PushFairness(config.maxHighBeforeLow(), config.timeSliceNs());
    }
}

/**
 * Two cache lines between the read-mostly fields and the producer-read state. Padding is made of bytes, as JCTools
 * does: HotSpot fills gaps left at the end of a superclass's fields with a subclass's smallest fields, so byte padding
 * fills them, where boolean flags of the next group would otherwise land.
 */
abstract class PushTargetPad1 extends PushTargetFinalFields
{
    byte ba000, ba001, ba002, ba003, ba004, ba005, ba006, ba007, ba008, ba009, ba010, ba011, ba012, ba013, ba014, ba015;
    byte ba016, ba017, ba018, ba019, ba020, ba021, ba022, ba023, ba024, ba025, ba026, ba027, ba028, ba029, ba030, ba031;
    byte ba032, ba033, ba034, ba035, ba036, ba037, ba038, ba039, ba040, ba041, ba042, ba043, ba044, ba045, ba046, ba047;
    byte ba048, ba049, ba050, ba051, ba052, ba053, ba054, ba055, ba056, ba057, ba058, ba059, ba060, ba061, ba062, ba063;
    byte ba064, ba065, ba066, ba067, ba068, ba069, ba070, ba071, ba072, ba073, ba074, ba075, ba076, ba077, ba078, ba079;
    byte ba080, ba081, ba082, ba083, ba084, ba085, ba086, ba087, ba088, ba089, ba090, ba091, ba092, ba093, ba094, ba095;
    byte ba096, ba097, ba098, ba099, ba100, ba101, ba102, ba103, ba104, ba105, ba106, ba107, ba108, ba109, ba110, ba111;
    byte ba112, ba113, ba114, ba115, ba116, ba117, ba118, ba119, ba120, ba121, ba122, ba123, ba124, ba125, ba126, ba127;

    PushTargetPad1(final int slot, final PushConfig config, final TokenBucket bucket,
        final AtomicBuffer highMemory, final AtomicBuffer lowMemory)
    {
        super(slot, config, bucket, highMemory, lowMemory);
    }
}

/**
 * Written by the loop, rarely (open, close, backed-up changes); read by producers on every push.
 */
abstract class PushTargetStateFields extends PushTargetPad1
{
    /** The id of the connection now on the slot, 0 while closed: producers compare their handle's id with it. */
    volatile long connectionId;
    /** Written by the loop when the connection's writes turn partial or drain. */
    volatile boolean backedUp;
    /** Written by the loop when the connection's unsent bytes pass the shed share of the send cap, or fall back. */
    volatile boolean shedding;

    PushTargetStateFields(final int slot, final PushConfig config, final TokenBucket bucket,
        final AtomicBuffer highMemory, final AtomicBuffer lowMemory)
    {
        super(slot, config, bucket, highMemory, lowMemory);
    }
}

/** Two cache lines between the producer-read state and the loop's per-iteration flags. */
abstract class PushTargetPad2 extends PushTargetStateFields
{
    byte bb000, bb001, bb002, bb003, bb004, bb005, bb006, bb007, bb008, bb009, bb010, bb011, bb012, bb013, bb014, bb015;
    byte bb016, bb017, bb018, bb019, bb020, bb021, bb022, bb023, bb024, bb025, bb026, bb027, bb028, bb029, bb030, bb031;
    byte bb032, bb033, bb034, bb035, bb036, bb037, bb038, bb039, bb040, bb041, bb042, bb043, bb044, bb045, bb046, bb047;
    byte bb048, bb049, bb050, bb051, bb052, bb053, bb054, bb055, bb056, bb057, bb058, bb059, bb060, bb061, bb062, bb063;
    byte bb064, bb065, bb066, bb067, bb068, bb069, bb070, bb071, bb072, bb073, bb074, bb075, bb076, bb077, bb078, bb079;
    byte bb080, bb081, bb082, bb083, bb084, bb085, bb086, bb087, bb088, bb089, bb090, bb091, bb092, bb093, bb094, bb095;
    byte bb096, bb097, bb098, bb099, bb100, bb101, bb102, bb103, bb104, bb105, bb106, bb107, bb108, bb109, bb110, bb111;
    byte bb112, bb113, bb114, bb115, bb116, bb117, bb118, bb119, bb120, bb121, bb122, bb123, bb124, bb125, bb126, bb127;

    PushTargetPad2(final int slot, final PushConfig config, final TokenBucket bucket,
        final AtomicBuffer highMemory, final AtomicBuffer lowMemory)
    {
        super(slot, config, bucket, highMemory, lowMemory);
    }
}

/**
 * The loop's own: written on every drain, never read by producers.
 */
abstract class PushTargetLoopFields extends PushTargetPad2
{
    /** The open connection's handle (its session entry is removed at close). */
    TargetPushHandle handle;
    boolean onLowList;
    boolean onAgainList;
    /** Queue bytes of low frames this connection may still send in the current iteration (see {@code PushLoop}). */
    int lowBytesLeft;
    /** The type id of the slot's latest connection (open or closed), whose figures are live until the next open. */
    int lastTypeId = -1;
    /** That connection's figures, frozen when the slot is opened again. */
    StatsTable.View lastView;

    PushTargetLoopFields(final int slot, final PushConfig config, final TokenBucket bucket,
        final AtomicBuffer highMemory, final AtomicBuffer lowMemory)
    {
        super(slot, config, bucket, highMemory, lowMemory);
    }
}

/** Two cache lines between the loop's flags and the producers'. */
abstract class PushTargetPad3 extends PushTargetLoopFields
{
    byte bc000, bc001, bc002, bc003, bc004, bc005, bc006, bc007, bc008, bc009, bc010, bc011, bc012, bc013, bc014, bc015;
    byte bc016, bc017, bc018, bc019, bc020, bc021, bc022, bc023, bc024, bc025, bc026, bc027, bc028, bc029, bc030, bc031;
    byte bc032, bc033, bc034, bc035, bc036, bc037, bc038, bc039, bc040, bc041, bc042, bc043, bc044, bc045, bc046, bc047;
    byte bc048, bc049, bc050, bc051, bc052, bc053, bc054, bc055, bc056, bc057, bc058, bc059, bc060, bc061, bc062, bc063;
    byte bc064, bc065, bc066, bc067, bc068, bc069, bc070, bc071, bc072, bc073, bc074, bc075, bc076, bc077, bc078, bc079;
    byte bc080, bc081, bc082, bc083, bc084, bc085, bc086, bc087, bc088, bc089, bc090, bc091, bc092, bc093, bc094, bc095;
    byte bc096, bc097, bc098, bc099, bc100, bc101, bc102, bc103, bc104, bc105, bc106, bc107, bc108, bc109, bc110, bc111;
    byte bc112, bc113, bc114, bc115, bc116, bc117, bc118, bc119, bc120, bc121, bc122, bc123, bc124, bc125, bc126, bc127;

    PushTargetPad3(final int slot, final PushConfig config, final TokenBucket bucket,
        final AtomicBuffer highMemory, final AtomicBuffer lowMemory)
    {
        super(slot, config, bucket, highMemory, lowMemory);
    }
}

/**
 * Written by producers: the ready-list flag (which the loop also clears, once per drain).
 */
abstract class PushTargetProducerFields extends PushTargetPad3
{
    /** 1 while the target is on its loop's ready list. */
    volatile int scheduled;

    PushTargetProducerFields(final int slot, final PushConfig config, final TokenBucket bucket,
        final AtomicBuffer highMemory, final AtomicBuffer lowMemory)
    {
        super(slot, config, bucket, highMemory, lowMemory);
    }
}

/** Two cache lines after the producers' fields, so whatever the heap puts next does not share them. */
abstract class PushTargetPad4 extends PushTargetProducerFields
{
    byte bd000, bd001, bd002, bd003, bd004, bd005, bd006, bd007, bd008, bd009, bd010, bd011, bd012, bd013, bd014, bd015;
    byte bd016, bd017, bd018, bd019, bd020, bd021, bd022, bd023, bd024, bd025, bd026, bd027, bd028, bd029, bd030, bd031;
    byte bd032, bd033, bd034, bd035, bd036, bd037, bd038, bd039, bd040, bd041, bd042, bd043, bd044, bd045, bd046, bd047;
    byte bd048, bd049, bd050, bd051, bd052, bd053, bd054, bd055, bd056, bd057, bd058, bd059, bd060, bd061, bd062, bd063;
    byte bd064, bd065, bd066, bd067, bd068, bd069, bd070, bd071, bd072, bd073, bd074, bd075, bd076, bd077, bd078, bd079;
    byte bd080, bd081, bd082, bd083, bd084, bd085, bd086, bd087, bd088, bd089, bd090, bd091, bd092, bd093, bd094, bd095;
    byte bd096, bd097, bd098, bd099, bd100, bd101, bd102, bd103, bd104, bd105, bd106, bd107, bd108, bd109, bd110, bd111;
    byte bd112, bd113, bd114, bd115, bd116, bd117, bd118, bd119, bd120, bd121, bd122, bd123, bd124, bd125, bd126, bd127;

    PushTargetPad4(final int slot, final PushConfig config, final TokenBucket bucket,
        final AtomicBuffer highMemory, final AtomicBuffer lowMemory)
    {
        super(slot, config, bucket, highMemory, lowMemory);
    }
}

/**
 * The push side of one connection slot: a high and a low queue of frames written in place (Agrona
 * {@code ManyToOneRingBuffer}s over preallocated direct memory of the slot's own), the connection's token bucket and
 * fairness counter, and the flag that keeps it on its loop's ready list at most once. Preallocated per slot and reused
 * by every connection the slot serves; nothing here is shared with another connection.
 * <p>
 * <b>Layout and threading</b> (the class chain above, named after the memory layout as JCTools does; the field
 * groups are two cache lines apart, against false sharing and the adjacent-line prefetcher, which
 * {@code PushTargetLayoutTest} checks with JOL on the running JVM):
 * <ul>
 * <li>final fields: written once; read by everyone;</li>
 * <li>{@code connectionId}, {@code backedUp}, {@code shedding}: written by the loop on open, close, backed-up and
 * shedding changes; read by producers on every push;</li>
 * <li>{@code handle}, {@code onLowList}, {@code onAgainList}, {@code lowBytesLeft}: the loop's alone, written on
 * every drain;</li>
 * <li>{@code scheduled}: written by producers, and cleared by the loop once per drain: it is the hand-over between
 * the two.</li>
 * </ul>
 * The queues' own positions are padded inside their memory by Agrona (the ring's trailer).
 */
final class PushTarget extends PushTargetPad4
{
    private static final VarHandle SCHEDULED =
        FieldHandles.find(PushTargetProducerFields.class, "scheduled", int.class);

    PushTarget(final int slot, final PushConfig config, final TokenBucket bucket,
        final AtomicBuffer highMemory, final AtomicBuffer lowMemory)
    {
        super(slot, config, bucket, highMemory, lowMemory);
    }

    /**
     * @param queue one of a target's queues.
     * @return true if nothing is claimed in it (a frame still being written counts as claimed).
     */
    static boolean isEmpty(final ManyToOneRingBuffer queue)
    {
        return queue.producerPosition() == queue.consumerPosition();
    }

    /** @return true while on the ready list (a volatile read). */
    boolean lvScheduled()
    {
        return scheduled != 0;
    }

    /** @return true if this call moved the target from not scheduled to scheduled. */
    boolean casScheduled()
    {
        return SCHEDULED.compareAndSet(this, 0, 1);
    }

    /** The loop took the target off the ready list: a volatile write, which must precede its reads of the queues. */
    void svUnscheduled()
    {
        scheduled = 0;
    }
}
