/**
 * The command journal, on Chronicle Queue: {@link io.walletledger.journal.CommandJournal} appends every command
 * that changes the ledger, before it is applied; {@link io.walletledger.journal.JournalReader} replays them in
 * order, verifying each one. The record layout is in {@link io.walletledger.journal.JournalEntryDescriptor}; what
 * an append survives is in {@link io.walletledger.journal.JournalDurability}; what happens to a torn last record
 * is in {@link io.walletledger.journal.TornTailPolicy}.
 * <p>
 * Every JVM that loads this package needs the Chronicle flags of the parent pom ({@code wallet.jvm.flags}) and an
 * SLF4J 2 provider on the class path, or Chronicle's own errors are silently dropped.
 */
package io.walletledger.journal;
