package io.walletledger.protocol;

import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request table against the schema it describes: every request message of the schema has exactly one entry,
 * with the schema's name and id, and the columns agree with each other.
 */
class RequestTypeTest
{
    @Test
    void everyRequestMessageOfTheSchemaHasOneEntry() throws Exception
    {
        final Map<String, Integer> requests = new TreeMap<>();
        try (InputStream schema = RequestTypeTest.class.getResourceAsStream("/sbe/wallet-schema.xml"))
        {
            assertNotNull(schema, "the schema is on the class path");
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            final NodeList messages = factory.newDocumentBuilder().parse(schema).getElementsByTagNameNS("*", "message");
            for (int i = 0; i < messages.getLength(); i++)
            {
                final Element message = (Element)messages.item(i);
                final String name = message.getAttribute("name");
                // Responses are answers; the authentication exchange runs before any request and never reaches the
                // ledger.
                if (!name.endsWith("Response") && !name.startsWith("Auth"))
                {
                    requests.put(name, Integer.parseInt(message.getAttribute("id")));
                }
            }
        }
        final Map<String, Integer> table = new TreeMap<>();
        for (final RequestType type : RequestType.values())
        {
            table.put(type.messageName(), type.templateId());
        }
        assertEquals(requests, table);
    }

    @Test
    void findsEachTypeByItsTemplateIdAndNothingElse()
    {
        for (final RequestType type : RequestType.values())
        {
            assertSame(type, RequestType.of(type.templateId()));
        }
        assertNull(RequestType.of(0));
        assertNull(RequestType.of(-1));
        assertNull(RequestType.of(CreateTransfersResponseDecoder.TEMPLATE_ID));
        assertNull(RequestType.of(20), "the authentication messages are not ledger requests");
        assertNull(RequestType.of(65535));
    }

    @Test
    void accountFieldsLieInsideTheOldestElementOfTheTypesThatNameAccounts()
    {
        for (final RequestType type : RequestType.values())
        {
            final boolean namesAccounts = type.accountScope() == RequestType.AccountScope.ACCOUNT ||
                type.accountScope() == RequestType.AccountScope.ACCOUNT_CONTROL ||
                type.accountScope() == RequestType.AccountScope.DEBIT_ACCOUNT;
            if (namesAccounts)
            {
                assertTrue(type.accountFieldOffset() >= 0 &&
                    type.accountFieldOffset() + Long.BYTES <= type.elementLengthMin(), type.name());
            }
            else
            {
                assertEquals(-1, type.accountFieldOffset(), type.name());
            }
        }
    }

    @Test
    void onlyReadsAreNotJournaledAndOnlyReadsNeedTheReadRole()
    {
        for (final RequestType type : RequestType.values())
        {
            assertEquals(!type.journaled(), type.role() == Role.READ, type.name());
        }
    }

    /**
     * The three answers that list results share one layout, so anything that reads or writes results may use one
     * codec for all of them.
     */
    @Test
    void theResultListingResponsesShareOneLayout()
    {
        assertEquals(CommandResultsResponseDecoder.BLOCK_LENGTH, CreateAccountsResponseDecoder.BLOCK_LENGTH);
        assertEquals(CommandResultsResponseDecoder.BLOCK_LENGTH, CreateTransfersResponseDecoder.BLOCK_LENGTH);
        assertEquals(CommandResultsResponseDecoder.ResultsDecoder.sbeBlockLength(),
            CreateAccountsResponseDecoder.ResultsDecoder.sbeBlockLength());
        assertEquals(CommandResultsResponseDecoder.ResultsDecoder.sbeBlockLength(),
            CreateTransfersResponseDecoder.ResultsDecoder.sbeBlockLength());
        assertEquals(CommandResultsResponseDecoder.ResultsDecoder.indexEncodingOffset(),
            CreateTransfersResponseDecoder.ResultsDecoder.indexEncodingOffset());
        assertEquals(CommandResultsResponseDecoder.ResultsDecoder.resultEncodingOffset(),
            CreateTransfersResponseDecoder.ResultsDecoder.resultEncodingOffset());
        assertEquals(CommandResultsResponseDecoder.ResultsDecoder.indexEncodingOffset(),
            CreateAccountsResponseDecoder.ResultsDecoder.indexEncodingOffset());
        assertEquals(CommandResultsResponseDecoder.ResultsDecoder.resultEncodingOffset(),
            CreateAccountsResponseDecoder.ResultsDecoder.resultEncodingOffset());
        for (final RequestType type : RequestType.values())
        {
            final boolean lookup = type.messageName().startsWith("Lookup");
            assertEquals(!lookup, type.answersWithResults(), type.name());
        }
    }
}
