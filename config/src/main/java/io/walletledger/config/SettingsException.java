package io.walletledger.config;

import java.util.List;

/**
 * Settings that cannot be used: a value of the wrong type or outside its range, an unknown key, or a settings file
 * that is missing or does not parse. The message names each setting (or file), the value given and what is
 * allowed, one problem a line, so an operator can fix them all in one go.
 */
public final class SettingsException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param problem the one problem, naming the setting or file, the value and what is allowed.
     */
    public SettingsException(final String problem)
    {
        super(problem);
        this.problems = List.of(problem);
    }

    /**
     * @param problem the one problem, naming the setting or file, the value and what is allowed.
     * @param cause   the error of Typesafe Config or of the file system behind it.
     */
    public SettingsException(final String problem, final Throwable cause)
    {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /**
     * @param problems at least one problem, each naming the setting, the value and what is allowed.
     */
    public SettingsException(final List<String> problems)
    {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * @return each problem found, in the order the settings are documented.
     */
    public List<String> problems()
    {
        return problems;
    }

    private static String message(final List<String> problems)
    {
        if (problems.isEmpty())
        {
            throw new IllegalArgumentException("a SettingsException needs at least one problem");
        }
        if (problems.size() == 1)
        {
            return problems.get(0);
        }
        return problems.size() + " settings are not allowed:\n  " + String.join("\n  ", problems);
    }
}
