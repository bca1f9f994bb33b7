package io.walletledger.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The frame layout is part of the wire protocol: these numbers change only with a new protocol.
 */
final class FrameDescriptorTest
{
    @Test
    void frameIsALittleEndianFourByteLengthThenAnEightByteMessageHeader()
    {
        assertEquals(ByteOrder.LITTLE_ENDIAN, FrameDescriptor.BYTE_ORDER);
        assertEquals(0, FrameDescriptor.LENGTH_FIELD_OFFSET);
        assertEquals(4, FrameDescriptor.LENGTH_FIELD_LENGTH);
        assertEquals(4, FrameDescriptor.MESSAGE_OFFSET);
        assertEquals(8, FrameDescriptor.MESSAGE_HEADER_LENGTH);
    }
}
