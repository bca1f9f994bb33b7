package io.walletledger.server.cli;

import ch.qos.logback.classic.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code wallet} command line: the tools an operator runs against a data directory. {@code ./wallet} in the
 * repository root builds what is missing and runs this with the JVM flags every JVM here needs.
 */
@Command(
    name = "wallet",
    mixinStandardHelpOptions = true,
    description = "Wallet ledger tools.",
    subcommands = { ServerCommand.class, KeysCommand.class, VerifyCommand.class, JournalCommand.class,
        RecoverCommand.class, HealthCommand.class })
public final class WalletCli
{
    private WalletCli()
    {
    }

    public static void main(final String[] args)
    {
        // Chronicle Queue reports usage to the internet unless told not to; ./wallet passes these flags, and this
        // covers a JVM started by hand (java -jar), since nothing has loaded Chronicle yet.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        final boolean server = args.length > 0 && "server".equals(args[0]);
        // The tools print their own report, which progress messages would only bury; the server logs its life (and
        // applies wallet.log.* once it has read its settings). The audit log (key created, revoked) is kept always.
        LogSetup.defaults(server ? Level.INFO : Level.WARN);
        if (!Object.class.getModule().isOpen("java.lang", WalletCli.class.getModule()))
        {
            System.err.println("wallet: this JVM lacks the --add-opens/--add-exports flags Chronicle Queue needs; " +
                "run it with java -jar wallet-server.jar (its manifest carries them) or through the wallet launcher");
            System.exit(2);
        }
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * @return the exit status: 0 on success.
     */
    public static int run(final PrintWriter out, final PrintWriter err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new WalletCli()).setOut(out).setErr(err);
        if (args.length == 0)
        {
            commandLine.usage(out);
            return 0;
        }
        return commandLine.execute(args);
    }
}
