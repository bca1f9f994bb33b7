package io.walletledger.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class in a child JVM with this JVM's class path and the flags every JVM here needs (the parent pom's wallet.jvm.flags), for
 * tests that kill or signal a real process.
 */
public final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * @return the started process; its standard error goes to this JVM's.
     */
    public static Process start(final Class<?> mainClass, final String... args) throws IOException
    {
        return start(mainClass, ProcessBuilder.Redirect.INHERIT, args);
    }

    /**
     * @param standardError where the process's standard error goes.
     * @return the started process.
     */
    public static Process start(final Class<?> mainClass, final ProcessBuilder.Redirect standardError,
        final String... args) throws IOException
    {
        return start(List.of(), mainClass, standardError, args);
    }

    /**
     * @param jvmOptions    more options for the child JVM, after the ones it takes from this JVM.
     * @param standardError where the process's standard error goes.
     * @return the started process.
     */
    public static Process start(final List<String> jvmOptions, final Class<?> mainClass,
        final ProcessBuilder.Redirect standardError, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // The flags Surefire's argLine gave this JVM: every JVM that loads Chronicle needs them.
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle.") ||
                argument.startsWith("--enable-native-access") || argument.startsWith("--sun-misc") ||
                argument.startsWith("-Xmx") || argument.startsWith("-XX:MaxDirectMemorySize"))
            {
                command.add(argument);
            }
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(standardError).start();
    }
}
