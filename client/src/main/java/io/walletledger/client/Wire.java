package io.walletledger.client;

/**
 * Range checks for values that travel in narrower unsigned wire fields than their Java type.
 */
final class Wire
{
    static final int U16_MAX = 0xFFFF;

    private Wire()
    {
    }

    static void checkU16(final String name, final int value)
    {
        if (value < 0 || value > U16_MAX)
        {
            throw new IllegalArgumentException(name + " must be in 0.." + U16_MAX + ", was " + value);
        }
    }
}
