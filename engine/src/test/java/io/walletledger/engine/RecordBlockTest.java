package io.walletledger.engine;

import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's unchecked field accesses stay inside their record: {@link RecordBlock#address} refuses every slot
 * outside the block, every field offset of the record layouts lies inside a record, and the fields written through
 * the stores land at the documented little-endian offsets of their own record, read back through Agrona's checked
 * view, without touching the record before; a velocity ring position read from a record is checked too.
 */
class RecordBlockTest
{
    @Test
    void refusesEverySlotOutsideTheBlock()
    {
        final RecordBlock block = new RecordBlock(3, 128);
        for (final int slot : new int[] { -1, 3, 4, Integer.MIN_VALUE, Integer.MAX_VALUE })
        {
            assertThrows(IndexOutOfBoundsException.class, () -> block.address(slot), "slot " + slot);
        }
        final long first = block.address(0);
        assertEquals(0, first % 64, "records are cache-aligned");
        assertEquals(first + 2 * 128, block.address(2));
        assertEquals(block.buffer().addressOffset(), first);
        assertEquals(3 * 128, block.buffer().capacity());
    }

    @Test
    void refusesABlockLargerThanAnIntCanAddress()
    {
        assertThrows(IllegalArgumentException.class, () -> new RecordBlock(1 << 24, 128));
        assertThrows(IllegalArgumentException.class, () -> new RecordBlock(0, 64));
    }

    @Test
    void everyFieldOffsetLiesInsideARecord() throws IllegalAccessException
    {
        assertOffsetsInside(AccountDescriptor.class, AccountDescriptor.RECORD_LENGTH);
        assertOffsetsInside(TransferDescriptor.class, TransferDescriptor.RECORD_LENGTH);
    }

    @Test
    void accountFieldsLandAtTheirOffsetsInTheLastRecord()
    {
        final Accounts accounts = new Accounts(2, 7L);
        accounts.create(1, 0, 978, 1, 0, 1L);
        final int last = accounts.create(2, 11L, 840, 2, 3, 5L);
        accounts.debitsPending(last, 101L);
        accounts.debitsPosted(last, 102L);
        accounts.creditsPending(last, 103L);
        accounts.creditsPosted(last, 104L);
        accounts.status(last, AccountStatusValue.FROZEN);
        accounts.policy(last, AccountDescriptor.POLICY_HAS_LIMITS);

        final UnsafeBuffer checked = accounts.records();
        final int at = last * AccountDescriptor.RECORD_LENGTH;
        assertEquals(2L, checked.getLong(at + AccountDescriptor.ID_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(101L, checked.getLong(at + AccountDescriptor.DEBITS_PENDING_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(102L, checked.getLong(at + AccountDescriptor.DEBITS_POSTED_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(103L, checked.getLong(at + AccountDescriptor.CREDITS_PENDING_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(104L, checked.getLong(at + AccountDescriptor.CREDITS_POSTED_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(11L, checked.getLong(at + AccountDescriptor.USER_DATA_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(5L, checked.getLong(at + AccountDescriptor.TIMESTAMP_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(840, checked.getShort(at + AccountDescriptor.CURRENCY_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(2, checked.getShort(at + AccountDescriptor.CODE_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(3, checked.getShort(at + AccountDescriptor.FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(AccountStatusValue.FROZEN, checked.getByte(at + AccountDescriptor.STATUS_OFFSET));
        assertEquals(AccountDescriptor.POLICY_HAS_LIMITS, checked.getByte(at + AccountDescriptor.POLICY_OFFSET));

        assertEquals(1L, accounts.id(0));
        assertEquals(0L, accounts.creditsPosted(0), "the record before is untouched");
        assertEquals(978, accounts.currency(0));
        assertThrows(IndexOutOfBoundsException.class, () -> accounts.debitsPosted(2));
        assertThrows(IndexOutOfBoundsException.class, () -> accounts.creditsPosted(-1, 1L));
    }

    @Test
    void transferFieldsLandAtTheirOffsetsInTheLastRecord()
    {
        // A post: what moved from the plan, the rest from its request.
        final TransferRecords records = new TransferRecords(2);
        final TransferPlan plan = new TransferPlan();
        plan.begin(1L, 2L, 19L, 11L, false);
        plan.debitAccountId = 3L;
        plan.creditAccountId = 4L;
        plan.amount = 5L;
        plan.currency = 15;
        records.writeResolution(1, event(6L, 7L, 8L, 9L, 10L, 13, 14, 16, 17), plan);
        records.fee(1, 20L, 21);

        final UnsafeBuffer checked = records.buffer();
        final int at = TransferDescriptor.RECORD_LENGTH;
        final int[] longOffsets = {
            TransferDescriptor.ID_LO_OFFSET, TransferDescriptor.ID_HI_OFFSET, TransferDescriptor.DEBIT_ACCOUNT_ID_OFFSET,
            TransferDescriptor.CREDIT_ACCOUNT_ID_OFFSET, TransferDescriptor.AMOUNT_OFFSET,
            TransferDescriptor.PENDING_ID_LO_OFFSET, TransferDescriptor.PENDING_ID_HI_OFFSET,
            TransferDescriptor.USER_DATA_128_LO_OFFSET, TransferDescriptor.USER_DATA_128_HI_OFFSET,
            TransferDescriptor.USER_DATA_64_OFFSET, TransferDescriptor.TIMESTAMP_OFFSET };
        for (int i = 0; i < longOffsets.length; i++)
        {
            assertEquals(i + 1L, checked.getLong(at + longOffsets[i], ByteOrder.LITTLE_ENDIAN), "field at " + longOffsets[i]);
        }
        assertEquals(20L, checked.getLong(at + TransferDescriptor.FEE_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(13, checked.getInt(at + TransferDescriptor.USER_DATA_32_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(14, checked.getInt(at + TransferDescriptor.TIMEOUT_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(15, checked.getShort(at + TransferDescriptor.CURRENCY_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(16, checked.getShort(at + TransferDescriptor.CODE_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(16, checked.getShort(at + TransferDescriptor.FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN),
            "17 without the linked flag, which is not stored");
        assertEquals(0, checked.getShort(at + TransferDescriptor.RESULT_OFFSET, ByteOrder.LITTLE_ENDIAN), "OK");
        assertEquals(0, checked.getByte(at + TransferDescriptor.PENDING_STATUS_OFFSET));
        assertEquals(22, checked.getInt(at + TransferDescriptor.FEE_ACCOUNT_SLOT_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(19L, checked.getLong(at + TransferDescriptor.ID_HASH_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(21, records.feeAccountSlot(1));

        for (int offset = 0; offset < TransferDescriptor.RECORD_LENGTH; offset += 8)
        {
            assertEquals(0L, checked.getLong(offset), "the record before is untouched at " + offset);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> records.amount(2));
        assertThrows(IndexOutOfBoundsException.class, () -> records.pendingStatus(-1, 0));
    }

    @Test
    void aNewHoldAndAFailureLandAtTheirOffsets()
    {
        final TransferRecords records = new TransferRecords(2);
        final TransferPlan plan = new TransferPlan();
        plan.begin(1L, 2L, 19L, 11L, true);
        plan.expiresAt = 12L;
        records.writeNew(1, event(0L, 0L, 8L, 9L, 10L, 13, 14, 16, Flags.TRANSFER_PENDING), plan, 18);

        final UnsafeBuffer checked = records.buffer();
        final int at = TransferDescriptor.RECORD_LENGTH;
        assertEquals(0L, checked.getLong(at + TransferDescriptor.PENDING_ID_LO_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(12L, checked.getLong(at + TransferDescriptor.EXPIRES_AT_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(14, checked.getInt(at + TransferDescriptor.TIMEOUT_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(16, checked.getShort(at + TransferDescriptor.CODE_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(18, checked.getShort(at + TransferDescriptor.FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(Flags.PENDING_STATUS_PENDING, checked.getByte(at + TransferDescriptor.PENDING_STATUS_OFFSET));
        assertEquals(-1, records.feeAccountSlot(1), "no fee account");

        // A failure keeps what was asked for, so a retry is compared with it field by field.
        records.writeFailure(0, event(3L, 4L, 8L, 9L, 10L, 13, 14, 16, Flags.TRANSFER_LINKED | Flags.TRANSFER_POST_PENDING),
            11L, 18, 19L);
        assertEquals(18, checked.getShort(TransferDescriptor.RESULT_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(19L, checked.getLong(TransferDescriptor.ID_HASH_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(11L, checked.getLong(TransferDescriptor.TIMESTAMP_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(3L, records.pendingIdLo(0));
        assertEquals(4L, records.pendingIdHi(0));
        assertEquals(9L, records.userData128Hi(0));
        assertEquals(10L, records.userData64(0));
        assertEquals(14, records.timeout(0));
        assertEquals(16, records.code(0));
        assertEquals(Flags.TRANSFER_POST_PENDING, records.flags(0), "without the linked flag");
        assertEquals(Flags.PENDING_STATUS_NONE, records.pendingStatus(0));
    }

    /**
     * @return a transfer event over a request of one transfer with these fields (the others are zero).
     */
    private static TransferEvent event(
        final long pendingIdLo, final long pendingIdHi, final long userData128Lo, final long userData128Hi,
        final long userData64, final int userData32, final int timeout, final int code, final int flags)
    {
        final TestLedger.Transfer asked = new TestLedger.Transfer().userData128(userData128Lo, userData128Hi)
            .userData64(userData64).userData32(userData32).timeout(timeout).code(code).flags(flags).currency(0);
        asked.pendingLo = pendingIdLo;
        asked.pendingHi = pendingIdHi;
        final UnsafeBuffer request = new UnsafeBuffer(new byte[256]);
        TestLedger.encode(request, 1, asked);
        final TransferEvent event = new TransferEvent();
        event.wrap(request, MessageHeaderEncoder.ENCODED_LENGTH + CreateTransfersEncoder.BLOCK_LENGTH +
            CreateTransfersEncoder.TransfersEncoder.HEADER_SIZE, CreateTransfersEncoder.TransfersEncoder.sbeBlockLength(), 1);
        event.moveTo(0);
        return event;
    }

    @Test
    void aVelocityRingPositionOutsideTheRingIsRefusedNotWritten()
    {
        final AccountLimits limits = new AccountLimits(2, 4, 8);
        final int record = limits.create(3);
        limits.setLimits(record, 0, 0, 2, 60);
        limits.recordDebit(record, 5, 1_000L, 0);
        assertEquals(1, limits.records().getInt(record * limits.recordLength() + AccountLimits.RING_NEXT_OFFSET));

        // A corrupt record (say, from a damaged snapshot) names a ring entry past the end of the record.
        limits.records().putInt(record * limits.recordLength() + AccountLimits.RING_NEXT_OFFSET, 4);
        final long before = limits.records().getLong(limits.recordLength());
        assertThrows(IndexOutOfBoundsException.class, () -> limits.recordDebit(record, 5, 2_000L, 0));
        assertEquals(before, limits.records().getLong(limits.recordLength()), "the next record is untouched");
        assertThrows(IndexOutOfBoundsException.class, () -> limits.velocityExceeded(2, 0L));
    }

    private static void assertOffsetsInside(final Class<?> descriptor, final int recordLength)
        throws IllegalAccessException
    {
        int offsets = 0;
        for (final Field field : descriptor.getDeclaredFields())
        {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_OFFSET"))
            {
                field.setAccessible(true);
                final int offset = field.getInt(null);
                assertTrue(offset >= 0 && offset < recordLength, descriptor.getSimpleName() + "." + field.getName() +
                    " = " + offset + " is outside a record of " + recordLength);
                offsets++;
            }
        }
        assertTrue(offsets > 10, "found the offsets of " + descriptor.getSimpleName());
    }
}
