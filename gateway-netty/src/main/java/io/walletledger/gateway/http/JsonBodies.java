package io.walletledger.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.io.IOException;
import java.util.Set;

/**
 * Request bodies as JSON, read strictly: a repeated key or anything after the JSON value is an error, not silently
 * taken or ignored, and a malformed body is a {@link BadRequestException} that says where. The fields are then
 * checked by the endpoint groups with {@link JsonFields}.
 */
final class JsonBodies
{
    static final JsonMapper MAPPER = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private JsonBodies()
    {
    }

    /**
     * @throws BadRequestException if there is no body or it is not JSON.
     */
    static JsonNode parse(final ByteBuf content)
    {
        final byte[] body = ByteBufUtil.getBytes(content);
        if (body.length == 0)
        {
            throw new BadRequestException("the request needs a JSON body");
        }
        return read(body);
    }

    /**
     * @return the body's JSON, or an empty object if there is no body.
     */
    static JsonNode parseOptional(final ByteBuf content)
    {
        final byte[] body = ByteBufUtil.getBytes(content);
        return body.length == 0 ? MAPPER.createObjectNode() : read(body);
    }

    /**
     * For requests that take no fields: no body or {@code {}}.
     */
    static void requireEmpty(final ByteBuf content, final String what)
    {
        JsonFields.requireObject(parseOptional(content), Set.of(), what);
    }

    private static JsonNode read(final byte[] body)
    {
        try
        {
            return MAPPER.readTree(body);
        }
        catch (final JsonProcessingException ex)
        {
            String message = ex.getOriginalMessage();
            final int noise = message.indexOf(" (start marker");
            message = noise < 0 ? message : message.substring(0, noise);
            throw new BadRequestException(ex.getLocation() == null ? "malformed JSON: " + message :
                "malformed JSON at line " + ex.getLocation().getLineNr() + ", column " +
                ex.getLocation().getColumnNr() + ": " + message);
        }
        catch (final IOException ex)
        {
            throw new BadRequestException("unreadable body: " + ex.getMessage());
        }
    }
}
