package dev.sluice.internal.push;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Finds the {@link VarHandle} of a field of this package, for the CAS and ordered accesses of padded classes. */
final class FieldHandles
{
    private FieldHandles()
    {
    }

    static VarHandle find(final Class<?> owner, final String name, final Class<?> type)
    {
        try
        {
            return MethodHandles.lookup().findVarHandle(owner, name, type);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }
}
