package io.walletledger.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads typed values out of a resolved {@link Config}, checking each against what its setting allows. A value that
 * fails is recorded as a problem, naming the setting, the value, what is allowed and where the value came from, and
 * a placeholder is returned, so that one pass finds every problem; the caller throws them all together.
 */
final class SettingsReader
{
    private static final String CURRENCY_EXAMPLE = "{ code = \"BTC\", numeric = 1001, exponent = 8 }";
    private static final List<String> CURRENCY_KEYS = List.of("code", "numeric", "exponent");
    private static final List<String> THRESHOLD_KEYS = List.of("currency", "threshold");
    private static final String THRESHOLD_EXAMPLE = "{ currency = \"USD\", threshold = 1000000 }";
    private static final java.util.regex.Pattern TIME_OF_DAY = java.util.regex.Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])");

    /**
     * Durations accepted are shorter than this: what {@link Duration#toNanos()} can express, so no user of a setting
     * overflows. Typesafe Config turns a longer duration into exactly this one, so it is refused too.
     */
    private static final Duration DURATION_MAX = Duration.ofNanos(Long.MAX_VALUE);

    private final Config config;
    private final String prefix;
    private final List<String> problems;
    private final Set<String> brokenSections;

    SettingsReader(final Config config)
    {
        this(config, "", new ArrayList<>(), new HashSet<>());
    }

    private SettingsReader(
        final Config config, final String prefix, final List<String> problems, final Set<String> brokenSections)
    {
        this.config = config;
        this.prefix = prefix;
        this.problems = problems;
        this.brokenSections = brokenSections;
    }

    /**
     * @return the problems found so far, in the order they were found.
     */
    List<String> problems()
    {
        return problems;
    }

    /**
     * Records every key under the root section of {@code settingPaths} that is not one of them or a section
     * holding them, and every section given a plain value.
     */
    void rejectUnknownKeys(final List<String> settingPaths)
    {
        final Map<String, Set<String>> keysBySection = new HashMap<>();
        for (final String settingPath : settingPaths)
        {
            final List<String> elements = ConfigUtil.splitPath(settingPath);
            for (int i = 1; i < elements.size(); i++)
            {
                keysBySection
                    .computeIfAbsent(ConfigUtil.joinPath(elements.subList(0, i)), (section) -> new LinkedHashSet<>())
                    .add(elements.get(i));
            }
        }
        final String root = ConfigUtil.splitPath(settingPaths.get(0)).get(0);
        if (config.hasPath(root))
        {
            rejectUnknownKeys(root, config.getValue(root), keysBySection);
        }
    }

    private void rejectUnknownKeys(
        final String sectionPath, final ConfigValue section, final Map<String, Set<String>> keysBySection)
    {
        final Set<String> keys = keysBySection.get(sectionPath);
        if (!(section instanceof ConfigObject))
        {
            reject(sectionPath, section, "it is a section holding " + String.join(", ", keys));
            brokenSections.add(sectionPath);
            return;
        }
        for (final Map.Entry<String, ConfigValue> entry : ((ConfigObject)section).entrySet())
        {
            final String key = entry.getKey();
            final String keyPath = sectionPath + "." + ConfigUtil.joinPath(key);
            if (!keys.contains(key))
            {
                problems.add(keyPath + " is not a setting: " + sectionPath + " has " + String.join(", ", keys) +
                    origin(entry.getValue()));
            }
            else if (keysBySection.containsKey(keyPath))
            {
                rejectUnknownKeys(keyPath, entry.getValue(), keysBySection);
            }
        }
    }

    long integer(final String path, final long min, final long max)
    {
        final String allowed = "use an integer in " + min + ".." + max;
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return min;
        }
        final Long integer = integerOf(value);
        if (null == integer || integer < min || integer > max)
        {
            reject(path, value, allowed);
            return min;
        }
        return integer;
    }

    int powerOfTwo(final String path, final int min, final int max)
    {
        final String allowed = "use a power of two in " + min + ".." + max;
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return min;
        }
        final Long integer = integerOf(value);
        if (null == integer || integer < min || integer > max || Long.bitCount(integer) != 1)
        {
            reject(path, value, allowed);
            return min;
        }
        return integer.intValue();
    }

    String string(final String path, final String example)
    {
        final String allowed = "use a non-empty string such as \"" + example + "\"";
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return example;
        }
        if (value.valueType() != ConfigValueType.STRING || ((String)value.unwrapped()).isBlank())
        {
            reject(path, value, allowed);
            return example;
        }
        return (String)value.unwrapped();
    }

    boolean bool(final String path)
    {
        final String allowed = "use true or false";
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return false;
        }
        if (value.valueType() == ConfigValueType.BOOLEAN)
        {
            return (Boolean)value.unwrapped();
        }
        if (value.valueType() == ConfigValueType.STRING)
        {
            // Environment variables and system properties arrive as strings.
            final String given = ((String)value.unwrapped()).trim();
            if ("true".equalsIgnoreCase(given) || "false".equalsIgnoreCase(given))
            {
                return Boolean.parseBoolean(given);
            }
        }
        reject(path, value, allowed);
        return false;
    }

    /**
     * @return the string at {@code path}, which may be empty (a setting not in use); a non-string is a problem.
     */
    String optionalString(final String path, final String example)
    {
        final String allowed = "use a string such as \"" + example + "\"";
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return "";
        }
        if (value.valueType() != ConfigValueType.STRING)
        {
            reject(path, value, allowed);
            return "";
        }
        return (String)value.unwrapped();
    }

    /**
     * Checks that the string at {@code path} names a regular file this process can read.
     *
     * @return the file, or null after recording why it cannot be used.
     */
    Path readableFile(final String path, final String given, final String what)
    {
        final String allowed = "use the path of " + what;
        if (given.isBlank())
        {
            reject(path, allowed);
            return null;
        }
        final Path file;
        try
        {
            file = Path.of(given);
        }
        catch (final InvalidPathException ex)
        {
            reject(path, "not a path this system accepts (" + ex.getReason() + "); " + allowed);
            return null;
        }
        final Path absolute = file.toAbsolutePath();
        if (!Files.exists(absolute))
        {
            reject(path, "there is no file " + absolute + "; " + allowed);
            return null;
        }
        if (!Files.isRegularFile(absolute))
        {
            reject(path, absolute + " is not a regular file; " + allowed);
            return null;
        }
        if (!Files.isReadable(absolute))
        {
            reject(path, "file " + absolute + " cannot be read by this process; " + allowed);
            return null;
        }
        return file;
    }

    Path path(final String path, final String example)
    {
        final String string = string(path, example);
        try
        {
            return Path.of(string);
        }
        catch (final InvalidPathException ex)
        {
            reject(path, config.getValue(path), "use a path this system accepts (" + ex.getReason() + ")");
            return Path.of(example);
        }
    }

    <E extends Enum<E>> E choice(final String path, final Class<E> type)
    {
        final E[] choices = type.getEnumConstants();
        final String allowed = "use " + describeChoices(choices);
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return choices[0];
        }
        if (value.valueType() == ConfigValueType.STRING)
        {
            final String given = ((String)value.unwrapped()).trim();
            for (final E choice : choices)
            {
                if (settingValue(choice).equalsIgnoreCase(given))
                {
                    return choice;
                }
            }
        }
        reject(path, value, allowed);
        return choices[0];
    }

    Duration duration(final String path, final boolean zeroAllowed, final String example)
    {
        final String allowed = "use a duration " + (zeroAllowed ? "of 0 or more" : "greater than 0") +
            ", such as " + example + " (a bare number is milliseconds; less than 292 years)";
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return Duration.ZERO;
        }
        try
        {
            final Duration duration = config.getDuration(path);
            if (!duration.isNegative() && (zeroAllowed || !duration.isZero()) && duration.compareTo(DURATION_MAX) < 0)
            {
                return duration;
            }
        }
        catch (final ConfigException ex)
        {
            // Not a duration: reported below with the allowed forms, which say more than Typesafe's message.
        }
        reject(path, value, allowed);
        return Duration.ZERO;
    }

    long bytes(final String path, final long min, final long max, final String allowed)
    {
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return min;
        }
        Long bytes = null;
        if (value.valueType() == ConfigValueType.NUMBER)
        {
            bytes = integerOf(value);
        }
        else
        {
            try
            {
                bytes = config.getBytes(path);
            }
            catch (final ConfigException | IllegalArgumentException ex)
            {
                // Not a size: reported below with the allowed forms, which say more than Typesafe's message.
            }
        }
        if (null == bytes || bytes < min || bytes > max)
        {
            reject(path, value, allowed);
            return min;
        }
        return bytes;
    }

    OptionalLong integerOrRandom(final String path)
    {
        final String allowed = "use random or a decimal integer in " + Long.MIN_VALUE + ".." + Long.MAX_VALUE;
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return OptionalLong.empty();
        }
        if (value.valueType() == ConfigValueType.STRING &&
            "random".equalsIgnoreCase(((String)value.unwrapped()).trim()))
        {
            return OptionalLong.empty();
        }
        final Long integer = integerOf(value);
        if (null == integer)
        {
            reject(path, value, allowed);
            return OptionalLong.empty();
        }
        return OptionalLong.of(integer);
    }

    List<CurrencySetting> currencies(final String path)
    {
        final Map<String, String> pathByCode = new HashMap<>();
        final Map<Integer, String> pathByNumeric = new HashMap<>();
        return objects(path, "currencies", "a currency", CURRENCY_KEYS, CURRENCY_EXAMPLE, (fields, entryPath, entry) ->
        {
            final CurrencySetting currency = currency(fields, entry);
            if (null == currency)
            {
                return null;
            }
            final String sameCode = pathByCode.putIfAbsent(currency.code(), entryPath);
            final String sameNumeric = pathByNumeric.putIfAbsent(currency.numeric(), entryPath);
            if (null != sameCode)
            {
                reject(entryPath, entry, "code " + currency.code() + " is already defined by " + sameCode);
                return null;
            }
            if (null != sameNumeric)
            {
                reject(entryPath, entry, "numeric " + currency.numeric() + " is already used by " + sameNumeric);
                return null;
            }
            return currency;
        });
    }

    /**
     * Reads one object of a list setting: its fields through {@code fields}, whose problems name the entry.
     */
    @FunctionalInterface
    interface EntryReader<T>
    {
        /**
         * @return the entry, or null if it has a problem (already recorded).
         */
        T read(SettingsReader fields, String entryPath, ConfigObject entry);
    }

    /**
     * Reads a list of objects, each with exactly the fields {@code keys}: an unknown field, a non-object entry or a
     * non-list value is a problem.
     *
     * @param plural  what the list holds, for messages ("fees").
     * @param single  what one entry is ("a fee").
     * @param example one entry as it would be written.
     * @return the entries that were read without a problem.
     */
    <T> List<T> objects(
        final String path,
        final String plural,
        final String single,
        final List<String> keys,
        final String example,
        final EntryReader<T> reader)
    {
        final String allowed = "use a list of " + plural + " such as [ " + example + " ]";
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return List.of();
        }
        if (!(value instanceof ConfigList))
        {
            reject(path, value, allowed);
            return List.of();
        }
        final ConfigList list = (ConfigList)value;
        final List<T> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            final String entryPath = path + "[" + i + "]";
            final ConfigValue entry = list.get(i);
            if (!(entry instanceof ConfigObject))
            {
                reject(entryPath, entry, "use " + single + " such as " + example);
                continue;
            }
            final int problemsBefore = problems.size();
            for (final Map.Entry<String, ConfigValue> field : ((ConfigObject)entry).entrySet())
            {
                if (!keys.contains(field.getKey()))
                {
                    problems.add(prefix + entryPath + "." + ConfigUtil.joinPath(field.getKey()) + " is not a setting: " +
                        single + " has " + String.join(", ", keys) + origin(field.getValue()));
                }
            }
            final SettingsReader fields = new SettingsReader(
                ((ConfigObject)entry).toConfig(), prefix + entryPath + ".", problems, brokenSections);
            final T read = reader.read(fields, entryPath, (ConfigObject)entry);
            if (null != read && problems.size() == problemsBefore)
            {
                entries.add(read);
            }
        }
        return List.copyOf(entries);
    }

    /**
     * Reads {@code wallet.policies.fees}: no two entries for the same transfer code and currency.
     */
    List<FeeSetting> fees(final String path)
    {
        final Map<String, String> pathByKey = new HashMap<>();
        return objects(path, "fees", "a fee", FeeSetting.KEYS, FeeSetting.EXAMPLE, (fields, entryPath, entry) ->
        {
            final int problemsBefore = problems.size();
            final int transferCode = (int)fields.integer("transfer-code", 0, 65535);
            final String currency = fields.currencyCode("currency");
            final long fixed = fields.integer("fixed-amount", 0, Long.MAX_VALUE);
            final int basisPoints = (int)fields.integer("basis-points", 0, 10_000);
            final long minimum = fields.integer("minimum", 0, Long.MAX_VALUE);
            final long maximum = fields.integer("maximum", 0, Long.MAX_VALUE);
            final long feeAccount = fields.integer("fee-account", 1, Long.MAX_VALUE);
            if (problems.size() != problemsBefore)
            {
                return null;
            }
            if (maximum != 0 && minimum > maximum)
            {
                fields.reject("maximum", "use 0 (no maximum) or at least the minimum, " + minimum);
                return null;
            }
            final String same = pathByKey.putIfAbsent(transferCode + "/" + currency, entryPath);
            if (null != same)
            {
                reject(entryPath, entry, "transfer code " + transferCode + " in " + currency + " already has a fee in " +
                    same);
                return null;
            }
            return new FeeSetting(transferCode, currency, fixed, basisPoints, minimum, maximum, feeAccount);
        });
    }

    /**
     * Reads {@code wallet.policies.code-limits}: no two entries for the same code.
     */
    List<CodeLimitsSetting> codeLimits(final String path, final int velocityDebitsMax)
    {
        final Map<Integer, String> pathByCode = new HashMap<>();
        return objects(path, "code limits", "a code's limits", CodeLimitsSetting.KEYS, CodeLimitsSetting.EXAMPLE,
            (fields, entryPath, entry) ->
            {
                final int problemsBefore = problems.size();
                final int code = (int)fields.integer("code", 0, 65535);
                final long perTransfer = fields.integer("transfer-amount-limit", 0, Long.MAX_VALUE);
                final long daily = fields.integer("daily-debit-limit", 0, Long.MAX_VALUE);
                final int velocity = (int)fields.integer("velocity-debit-limit", 0, velocityDebitsMax);
                final Duration window = fields.duration("velocity-window", true, "1 minute");
                if (problems.size() != problemsBefore)
                {
                    return null;
                }
                if (window.toNanosPart() != 0 || window.getSeconds() > 0xFFFF_FFFFL || (velocity != 0 && window.isZero()))
                {
                    fields.reject("velocity-window", "use whole seconds" +
                        (velocity != 0 ? ", at least 1 second with a velocity limit" : "") + ", such as 1 minute");
                    return null;
                }
                final String same = pathByCode.putIfAbsent(code, entryPath);
                if (null != same)
                {
                    reject(entryPath, entry, "code " + code + " already has limits in " + same);
                    return null;
                }
                return new CodeLimitsSetting(code, perTransfer, daily, velocity, window);
            });
    }

    /**
     * Reads {@code wallet.policies.review-thresholds}: a list of { currency, threshold }, one per currency.
     *
     * @return thresholds in minor units by currency code, sorted by code.
     */
    Map<String, Long> reviewThresholds(final String path)
    {
        final Map<String, Long> thresholds = new java.util.TreeMap<>();
        final Map<String, String> pathByCurrency = new HashMap<>();
        objects(path, "review thresholds", "a review threshold", THRESHOLD_KEYS, THRESHOLD_EXAMPLE,
            (fields, entryPath, entry) ->
            {
                final int problemsBefore = problems.size();
                final String currency = fields.currencyCode("currency");
                final long threshold = fields.integer("threshold", 1, Long.MAX_VALUE);
                if (problems.size() != problemsBefore)
                {
                    return null;
                }
                final String same = pathByCurrency.putIfAbsent(currency, entryPath);
                if (null != same)
                {
                    reject(entryPath, entry, currency + " already has a threshold in " + same);
                    return null;
                }
                thresholds.put(currency, threshold);
                return currency;
            });
        return java.util.Collections.unmodifiableMap(thresholds);
    }

    /**
     * Reads an object of free-form settings passed on to a library as they are: each leaf a string, number or
     * boolean, its path (dotted keys, quoted or nested) the name.
     *
     * @return the names and values, sorted by name.
     */
    Map<String, String> stringMap(final String path, final String example)
    {
        final String allowed = "use an object of names and values, such as " + example;
        final ConfigValue value = value(path, allowed);
        final Map<String, String> map = new java.util.TreeMap<>();
        if (null == value)
        {
            return map;
        }
        if (!(value instanceof ConfigObject))
        {
            reject(path, value, allowed);
            return map;
        }
        for (final Map.Entry<String, ConfigValue> entry : ((ConfigObject)value).toConfig().entrySet())
        {
            final ConfigValue leaf = entry.getValue();
            if (leaf.valueType() == ConfigValueType.LIST || leaf.valueType() == ConfigValueType.NULL)
            {
                reject(path + "." + entry.getKey(), leaf, "use a string, a number or a boolean");
                continue;
            }
            map.put(String.join(".", ConfigUtil.splitPath(entry.getKey())), String.valueOf(leaf.unwrapped()));
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /**
     * Reads a time of day, "HH:MM" (24-hour clock).
     *
     * @return seconds after midnight.
     */
    int timeOfDay(final String path)
    {
        final String allowed = "use a time of day \"HH:MM\", such as \"00:00\" or \"17:30\"";
        final ConfigValue value = value(path, allowed);
        if (null == value)
        {
            return 0;
        }
        final java.util.regex.Matcher time = value.valueType() == ConfigValueType.STRING ?
            TIME_OF_DAY.matcher((String)value.unwrapped()) : null;
        if (null == time || !time.matches())
        {
            reject(path, value, allowed);
            return 0;
        }
        return Integer.parseInt(time.group(1)) * 3600 + Integer.parseInt(time.group(2)) * 60;
    }

    private String currencyCode(final String path)
    {
        final String allowed = "use 3 to " + CurrencySetting.CODE_LENGTH_MAX +
            " upper-case letters or digits starting with a letter, such as \"BTC\"";
        final ConfigValue code = value(path, allowed);
        if (null != code && (code.valueType() != ConfigValueType.STRING ||
            !CurrencySetting.CODE_PATTERN.matcher((String)code.unwrapped()).matches()))
        {
            reject(path, code, allowed);
            return null;
        }
        return null == code ? null : (String)code.unwrapped();
    }

    private CurrencySetting currency(final SettingsReader fields, final ConfigObject entry)
    {
        final int problemsBefore = problems.size();
        final String code = fields.currencyCode(CURRENCY_KEYS.get(0));
        final int numeric = (int)fields.integer(CURRENCY_KEYS.get(1), 1, CurrencySetting.NUMERIC_MAX);
        final int exponent = (int)fields.integer(CURRENCY_KEYS.get(2), 0, CurrencySetting.EXPONENT_MAX);
        if (problems.size() != problemsBefore)
        {
            return null;
        }
        return new CurrencySetting(code, numeric, exponent);
    }

    /**
     * Records that the value at {@code path} is not allowed.
     */
    void reject(final String path, final String allowed)
    {
        reject(path, config.getValue(path), allowed);
    }

    private void reject(final String path, final ConfigValue value, final String allowed)
    {
        problems.add(prefix + path + " = " + value.render(ConfigRenderOptions.concise()) + " is not allowed: " +
            allowed + origin(value));
    }

    private ConfigValue value(final String path, final String allowed)
    {
        for (final String section : brokenSections)
        {
            if (path.startsWith(section + "."))
            {
                return null;
            }
        }
        if (!config.hasPathOrNull(path))
        {
            problems.add(prefix + path + " is missing: " + allowed);
            return null;
        }
        if (config.getIsNull(path))
        {
            problems.add(prefix + path + " is null: " + allowed);
            return null;
        }
        return config.getValue(path);
    }

    /**
     * @return the word that selects {@code choice} in a settings file: {@code BUSY_SPIN} is {@code busy-spin}.
     */
    static String settingValue(final Enum<?> choice)
    {
        return choice.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String describeChoices(final Enum<?>[] choices)
    {
        final StringBuilder description = new StringBuilder();
        for (int i = 0; i < choices.length; i++)
        {
            if (i > 0)
            {
                description.append(i == choices.length - 1 ? " or " : ", ");
            }
            description.append(settingValue(choices[i]));
        }
        return description.toString();
    }

    /**
     * Whole numbers only: HOCON would turn 7070.5 into 7070 without a word, which hides a mistake. Strings are
     * allowed because environment variables arrive as strings.
     */
    private static Long integerOf(final ConfigValue value)
    {
        final Object unwrapped = value.unwrapped();
        if (unwrapped instanceof Integer || unwrapped instanceof Long)
        {
            return ((Number)unwrapped).longValue();
        }
        if (unwrapped instanceof String)
        {
            try
            {
                return Long.parseLong(((String)unwrapped).trim());
            }
            catch (final NumberFormatException ex)
            {
                return null;
            }
        }
        return null;
    }

    private static String origin(final ConfigValue value)
    {
        return " (from " + value.origin().description() + ")";
    }
}
