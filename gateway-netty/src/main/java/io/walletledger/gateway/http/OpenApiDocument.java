package io.walletledger.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The HTTP API's OpenAPI 3.1 document, {@code openapi.json} beside this class, served at {@value #PATH} without a
 * key. {@code OpenApiContractTest} validates real requests and answers of every operation against it, so it cannot
 * drift from the code.
 */
public final class OpenApiDocument
{
    public static final String PATH = "/openapi.json";
    static final String RESOURCE = "openapi.json";
    private static final byte[] BYTES = load();

    private OpenApiDocument()
    {
    }

    /**
     * @return the document (shared: do not modify).
     */
    static byte[] bytes()
    {
        return BYTES;
    }

    /**
     * @return a fresh stream of the document.
     */
    public static InputStream open()
    {
        final InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE);
        if (in == null)
        {
            throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the class path");
        }
        return in;
    }

    private static byte[] load()
    {
        try (InputStream in = open())
        {
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + RESOURCE, ex);
        }
    }
}
