package dev.sluice.examples.fix;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The resting orders of every symbol, price-time ordered, in preallocated primitive arrays: an order pool (the
 * fields of order {@code i} at index {@code i}, ClOrdIDs in one byte buffer) and, per symbol and side, the pool
 * indices from best to worst (better price first; at a price, earlier first). An insert or a removal shifts the
 * side's array: small books, no object per order.
 * <p>
 * <b>Threading:</b> the matching thread only.
 */
final class OrderBook
{
    private static final int ID_BYTES = 1 + OrderCommands.MAX_ID;

    final long[] orderId;
    final long[] connection;
    final long[] price;
    final long[] quantity;
    final long[] leaves;
    final long[] cum;
    /** Sum of fill price times quantity, for the average price. */
    final long[] value;
    final byte[] side;
    final byte[] ordType;
    final UnsafeBuffer ids;
    private final int[] free;
    private int freeCount;
    private final int[][] bids;
    private final int[][] asks;
    private final int[] bidCount;
    private final int[] askCount;

    OrderBook(final int symbols, final int capacity)
    {
        orderId = new long[capacity];
        connection = new long[capacity];
        price = new long[capacity];
        quantity = new long[capacity];
        leaves = new long[capacity];
        cum = new long[capacity];
        value = new long[capacity];
        side = new byte[capacity];
        ordType = new byte[capacity];
        ids = new UnsafeBuffer(new byte[capacity * ID_BYTES]);
        free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        bids = new int[symbols][capacity];
        asks = new int[symbols][capacity];
        bidCount = new int[symbols];
        askCount = new int[symbols];
    }

    /** @return a free order's index, or -1 if the pool is used up. */
    int allocate()
    {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    void release(final int order)
    {
        free[freeCount++] = order;
    }

    /** @return where order {@code i}'s ClOrdID (length byte, then bytes) is in {@link #ids}. */
    static int idAt(final int order)
    {
        return order * ID_BYTES;
    }

    void copyIdFrom(final int order, final DirectBuffer from, final int at)
    {
        OrderCommands.copyId(from, at, ids, idAt(order));
    }

    void copyIdTo(final int order, final MutableDirectBuffer to, final int at)
    {
        OrderCommands.copyId(ids, idAt(order), to, at);
    }

    /** @return the best resting order on the side that trades with {@code side}, or -1. */
    int bestOpposite(final int symbol, final byte side)
    {
        if (side == '1')
        {
            return askCount[symbol] == 0 ? -1 : asks[symbol][0];
        }
        return bidCount[symbol] == 0 ? -1 : bids[symbol][0];
    }

    /** Rests an order behind every order at a better or equal price on its side. */
    void rest(final int symbol, final int order)
    {
        final boolean buy = side[order] == '1';
        final int[] levels = buy ? bids[symbol] : asks[symbol];
        final int count = buy ? bidCount[symbol] : askCount[symbol];
        int at = count;
        while (at > 0 && (buy ? price[levels[at - 1]] < price[order] : price[levels[at - 1]] > price[order]))
        {
            at--;
        }
        System.arraycopy(levels, at, levels, at + 1, count - at);
        levels[at] = order;
        if (buy)
        {
            bidCount[symbol]++;
        }
        else
        {
            askCount[symbol]++;
        }
    }

    /** Takes a resting order off its side (it stays allocated). */
    void remove(final int symbol, final int order)
    {
        final boolean buy = side[order] == '1';
        final int[] levels = buy ? bids[symbol] : asks[symbol];
        final int count = buy ? bidCount[symbol] : askCount[symbol];
        for (int i = 0; i < count; i++)
        {
            if (levels[i] == order)
            {
                System.arraycopy(levels, i + 1, levels, i, count - i - 1);
                if (buy)
                {
                    bidCount[symbol]--;
                }
                else
                {
                    askCount[symbol]--;
                }
                return;
            }
        }
    }

    /** Takes every resting order of a connection off the book and frees it (its connection closed). */
    void removeAll(final long connectionId)
    {
        for (int symbol = 0; symbol < bidCount.length; symbol++)
        {
            bidCount[symbol] = removeAll(bids[symbol], bidCount[symbol], connectionId);
            askCount[symbol] = removeAll(asks[symbol], askCount[symbol], connectionId);
        }
    }

    private int removeAll(final int[] levels, final int count, final long connectionId)
    {
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            final int order = levels[i];
            if (connection[order] == connectionId)
            {
                release(order);
            }
            else
            {
                levels[kept++] = order; // the rest keep their order: price-time priority holds
            }
        }
        return kept;
    }

    /**
     * @return the resting order of that connection on that side whose ClOrdID equals the one at {@code idAt} in
     *     {@code record}, or -1.
     */
    int find(final int symbol, final byte side, final long connectionId, final DirectBuffer record, final int idAt)
    {
        final boolean buy = side == '1';
        final int[] levels = buy ? bids[symbol] : asks[symbol];
        final int count = buy ? bidCount[symbol] : askCount[symbol];
        for (int i = 0; i < count; i++)
        {
            final int order = levels[i];
            if (connection[order] == connectionId && sameId(order, record, idAt))
            {
                return order;
            }
        }
        return -1;
    }

    private boolean sameId(final int order, final DirectBuffer record, final int at)
    {
        final int length = record.getByte(at);
        final int mine = idAt(order);
        if (ids.getByte(mine) != length)
        {
            return false;
        }
        for (int i = 1; i <= length; i++)
        {
            if (ids.getByte(mine + i) != record.getByte(at + i))
            {
                return false;
            }
        }
        return true;
    }
}
