package io.walletledger.protocol;

import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.UInt128Decoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the checked-in golden frames ({@code /golden/v<version>/<message>.bin} on the test class path) and checks
 * the parts every frame shares, for the golden file tests of version 2 and later.
 */
final class GoldenFrames
{
    static final int SCHEMA_ID = 7070;

    private GoldenFrames()
    {
    }

    /**
     * @return the whole frame: length prefix, message header and body.
     */
    static byte[] read(final int version, final String messageName)
    {
        final String resource = "/golden/v" + version + "/" + messageName + ".bin";
        try (InputStream in = GoldenFrames.class.getResourceAsStream(resource))
        {
            assertNotNull(in, resource + " is missing from the test classpath");
            final byte[] frame = in.readAllBytes();
            assertTrue(frame.length > FrameDescriptor.LENGTH_FIELD_LENGTH + FrameDescriptor.MESSAGE_HEADER_LENGTH,
                resource + " is too short to hold a frame");
            return frame;
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot read " + resource, ex);
        }
    }

    static DirectBuffer buffer(final int version, final String messageName)
    {
        return new UnsafeBuffer(read(version, messageName));
    }

    /**
     * Checks the message header of a frame and leaves {@code header} wrapped on it.
     */
    static void assertHeader(
        final MessageHeaderDecoder header,
        final DirectBuffer buffer,
        final int blockLength,
        final int templateId,
        final int version)
    {
        header.wrap(buffer, FrameDescriptor.MESSAGE_OFFSET);
        assertEquals(blockLength, header.blockLength(), "blockLength");
        assertEquals(templateId, header.templateId(), "templateId");
        assertEquals(SCHEMA_ID, header.schemaId(), "schemaId");
        assertEquals(version, header.version(), "version");
    }

    static void assertUInt128(final UInt128Decoder value, final long lo, final long hi)
    {
        assertEquals(lo, value.lo(), "lo");
        assertEquals(hi, value.hi(), "hi");
    }
}
