package io.walletledger.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@code reference.conf} to being the documentation of every setting: each one has a comment, the comment
 * states the default that is really there, and the file documents exactly the settings the loader reads.
 */
class ReferenceConfTest
{
    private static final String DEFAULT_MARKER = "Default: ";

    private final Config reference = ConfigFactory
        .parseResources(WalletSettings.class.getClassLoader(), "reference.conf")
        .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));

    @Test
    void everySettingHasACommentDirectlyAboveIt()
    {
        final List<String> uncommented = new ArrayList<>();
        for (final Map.Entry<String, ConfigValue> leaf : reference.entrySet())
        {
            if (leaf.getValue().origin().comments().isEmpty())
            {
                uncommented.add(leaf.getKey() + " (line " + leaf.getValue().origin().lineNumber() + ")");
            }
        }
        assertTrue(uncommented.isEmpty(), "settings without a comment: " + uncommented);
    }

    @Test
    void everyCommentStatesTheDefaultThatIsReallyThere()
    {
        for (final Map.Entry<String, ConfigValue> leaf : reference.entrySet())
        {
            final String comment = String.join("\n", leaf.getValue().origin().comments());
            final int marker = comment.lastIndexOf(DEFAULT_MARKER);
            assertTrue(marker >= 0, leaf.getKey() + " does not state its default: " + comment);

            String documented = comment.substring(marker + DEFAULT_MARKER.length()).trim();
            final int aside = documented.indexOf(" (");
            documented = aside >= 0 ? documented.substring(0, aside) : documented;
            documented = documented.endsWith(".") ? documented.substring(0, documented.length() - 1) : documented;
            assertEquals(unquote(documented), unquote(leaf.getValue().unwrapped().toString()),
                leaf.getKey() + " documents a default other than its value");
        }
    }

    @Test
    void documentsExactlyTheSettingsTheLoaderReads()
    {
        final Set<String> documented = new TreeSet<>();
        reference.entrySet().forEach((leaf) -> documented.add(leaf.getKey()));
        // A setting that is an object of free-form names (Kafka's properties) is empty by default: no leaf.
        for (final String path : SettingPaths.ALL)
        {
            if (reference.hasPath(path) && reference.getValue(path) instanceof ConfigObject object && object.isEmpty())
            {
                assertTrue(String.join("\n", object.origin().comments()).contains(DEFAULT_MARKER + "{}"),
                    path + " does not state its default");
                documented.add(path);
            }
        }
        assertEquals(new TreeSet<>(SettingPaths.ALL), documented);
    }

    private static String unquote(final String text)
    {
        return text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }
}
