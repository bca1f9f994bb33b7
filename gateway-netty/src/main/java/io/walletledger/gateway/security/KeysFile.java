package io.walletledger.gateway.security;

import io.walletledger.protocol.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walletledger.protocol.ScramSha256;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys file ({@code wallet.security.keys-file}): every API key the server accepts, as JSON, holding only the
 * values derived from each secret, never a secret. Written whole to a temporary file that is then renamed over the
 * old one, with permissions 0600 where the file system has POSIX permissions.
 *
 * <pre>
 * {"version":1,"keys":[{"id":"payments","roles":["transfer"],"accounts":["1001","1002"],
 *   "salt":"&lt;base64&gt;","iterations":210000,"stored_key":"&lt;base64&gt;","server_key":"&lt;base64&gt;",
 *   "transfers_per_second":0,"burst":0}]}
 * </pre>
 */
public final class KeysFile
{
    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock>
        IN_PROCESS_LOCKS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int SECRET_BYTES = 32;

    private KeysFile()
    {
    }

    /**
     * A key just made, with the secret that is shown once and kept nowhere.
     *
     * @param key    what the keys file holds.
     * @param secret base64url text of 32 random bytes.
     */
    public record NewKey(ApiKey key, String secret)
    {
        @Override
        public String toString()
        {
            return "NewKey{" + key + "}";
        }
    }

    /**
     * Makes a key with a fresh secret and salt.
     */
    public static NewKey create(
        final String id,
        final Set<Role> roles,
        final long[] accounts,
        final int iterations,
        final long transfersPerSecond,
        final long burst)
    {
        final byte[] secretBytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secretBytes);
        final String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        final byte[] salt = new byte[ScramSha256.SALT_LENGTH];
        RANDOM.nextBytes(salt);
        final byte[] salted = ScramSha256.saltedPassword(secret, salt, iterations);
        final ApiKey key = new ApiKey(id, roles, accounts, salt, iterations,
            ScramSha256.storedKey(ScramSha256.clientKey(salted)), ScramSha256.serverKey(salted), transfersPerSecond,
            burst);
        return new NewKey(key, secret);
    }

    /**
     * @return the keys by id, in file order.
     * @throws NoSuchFileException if there is no such file.
     * @throws IOException         if it cannot be read, or does not hold valid keys (the message says which and why).
     */
    public static Map<String, ApiKey> load(final Path file) throws IOException
    {
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(Files.readAllBytes(file));
        }
        catch (final JsonProcessingException ex)
        {
            throw new IOException("the keys file " + file + " is not valid JSON: " + ex.getOriginalMessage(), ex);
        }
        if (root == null || !root.isObject() || root.path("version").asInt() != FORMAT_VERSION ||
            !root.path("keys").isArray())
        {
            throw new IOException("the keys file " + file + " is not a version " + FORMAT_VERSION +
                " keys file: {\"version\":1,\"keys\":[...]}");
        }
        final Map<String, ApiKey> keys = new LinkedHashMap<>();
        int index = 0;
        for (final JsonNode entry : root.path("keys"))
        {
            final ApiKey key;
            try
            {
                key = parse(entry);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IOException("the keys file " + file + ": key " + index + ": " + ex.getMessage(), ex);
            }
            if (keys.putIfAbsent(key.id(), key) != null)
            {
                throw new IOException("the keys file " + file + " holds key " + key.id() + " twice");
            }
            index++;
        }
        return keys;
    }

    /**
     * Writes every key: to a temporary file beside {@code file}, made 0600 where possible, then renamed over it.
     */
    public static void save(final Path file, final Collection<ApiKey> keys) throws IOException
    {
        final ObjectNode root = MAPPER.createObjectNode().put("version", FORMAT_VERSION);
        final ArrayNode array = root.putArray("keys");
        for (final ApiKey key : keys)
        {
            array.add(toJson(key));
        }
        final Path absolute = file.toAbsolutePath();
        final Path directory = absolute.getParent();
        Files.createDirectories(directory);
        final Path temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".tmp");
        try
        {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
            {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            }
            Files.write(temporary, MAPPER.writeValueAsBytes(root));
            try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE))
            {
                channel.force(true);
            }
            try
            {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            // The rename is only durable once the directory is: else a power loss could bring back a revoked key.
            try (var channel = java.nio.channels.FileChannel.open(directory, java.nio.file.StandardOpenOption.READ))
            {
                channel.force(true);
            }
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * The keys file's lock, held by a read-modify-write.
     */
    public interface Lock extends AutoCloseable
    {
        @Override
        void close();
    }

    /**
     * Takes the keys file's lock for a read-modify-write (an OS lock on {@code <file>.lock}, and a lock of this
     * process for its own threads), waiting while another {@code wallet keys} command holds it, so that two changes
     * never lose one another.
     *
     * @return releases the lock when closed.
     */
    public static Lock lock(final Path file) throws IOException
    {
        final Path absolute = file.toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        final java.util.concurrent.locks.ReentrantLock inProcess =
            IN_PROCESS_LOCKS.computeIfAbsent(absolute, path -> new java.util.concurrent.locks.ReentrantLock());
        inProcess.lock();
        try
        {
            final java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                absolute.resolveSibling(absolute.getFileName() + ".lock"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
            try
            {
                channel.lock();
            }
            catch (final IOException | RuntimeException ex)
            {
                channel.close();
                throw ex;
            }
            return () ->
            {
                try
                {
                    channel.close(); // releases the OS lock
                }
                catch (final IOException ignored)
                {
                    // Closed or not, the OS drops the lock with the channel or the process.
                }
                finally
                {
                    inProcess.unlock();
                }
            };
        }
        catch (final IOException | RuntimeException ex)
        {
            inProcess.unlock();
            throw ex;
        }
    }

    private static ObjectNode toJson(final ApiKey key)
    {
        final ObjectNode node = MAPPER.createObjectNode().put("id", key.id());
        final ArrayNode roles = node.putArray("roles");
        for (final Role role : EnumSet.copyOf(key.roles()))
        {
            roles.add(role.label());
        }
        final ArrayNode accounts = node.putArray("accounts");
        for (final long account : key.accounts())
        {
            accounts.add(Long.toUnsignedString(account));
        }
        final Base64.Encoder base64 = Base64.getEncoder();
        node.put("salt", base64.encodeToString(key.salt()))
            .put("iterations", key.iterations())
            .put("stored_key", base64.encodeToString(key.storedKey()))
            .put("server_key", base64.encodeToString(key.serverKey()))
            .put("transfers_per_second", key.transfersPerSecond())
            .put("burst", key.burst());
        return node;
    }

    private static ApiKey parse(final JsonNode entry)
    {
        if (!entry.isObject())
        {
            throw new IllegalArgumentException("not a JSON object");
        }
        final List<String> known = List.of("id", "roles", "accounts", "salt", "iterations", "stored_key", "server_key",
            "transfers_per_second", "burst");
        for (final Iterator<String> names = entry.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            if (!known.contains(name))
            {
                throw new IllegalArgumentException("unknown field '" + name + "'; the fields are " + known);
            }
        }
        final String id = text(entry, "id");
        final Set<Role> roles = EnumSet.noneOf(Role.class);
        for (final JsonNode role : array(entry, "roles"))
        {
            roles.add(Role.of(role.asText()));
        }
        final List<Long> accounts = new ArrayList<>();
        for (final JsonNode account : entry.has("accounts") ? array(entry, "accounts") : MAPPER.createArrayNode())
        {
            try
            {
                accounts.add(Long.parseUnsignedLong(account.asText()));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("key " + id + ": account '" + account.asText() +
                    "' is not an unsigned 64-bit decimal id", ex);
            }
        }
        final Base64.Decoder base64 = Base64.getDecoder();
        return new ApiKey(id, roles, accounts.stream().mapToLong(Long::longValue).toArray(),
            base64.decode(text(entry, "salt")), entry.path("iterations").asInt(),
            base64.decode(text(entry, "stored_key")), base64.decode(text(entry, "server_key")),
            entry.path("transfers_per_second").asLong(0), entry.path("burst").asLong(0));
    }

    private static String text(final JsonNode entry, final String field)
    {
        final JsonNode value = entry.get(field);
        if (value == null || !value.isTextual())
        {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static JsonNode array(final JsonNode entry, final String field)
    {
        final JsonNode value = entry.get(field);
        if (value == null || !value.isArray())
        {
            throw new IllegalArgumentException("field '" + field + "' must be an array");
        }
        return value;
    }
}
