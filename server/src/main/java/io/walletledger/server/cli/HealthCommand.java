package io.walletledger.server.cli;

import io.walletledger.config.SettingsException;
import io.walletledger.config.WalletSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code wallet health}: asks the server on this machine whether it is ready ({@code GET /health/ready}) and exits
 * 0 if it is, 1 if not: the container image's health check, and a probe for a service manager or a script. The
 * port comes from the settings ({@code --config}, {@code WALLET_HTTP_PORT}, the default 8080) unless {@code --url}
 * says where to ask.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = "Ask the local server whether it is ready (GET /health/ready): exit status 0 if it is, 1 if not.")
final class HealthCommand implements Callable<Integer>
{
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Option(names = "--config", description = "The server's settings file, for its port and TLS.")
    Path configFile;

    @Option(names = "--url", description = "Where to ask instead (default: http://127.0.0.1:<http-port>/health/ready, " +
        "https with TLS on).")
    URI url;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final URI target;
        try
        {
            target = url != null ? url : defaultUrl(configFile == null ? WalletSettings.load() :
                WalletSettings.load(configFile));
        }
        catch (final SettingsException ex)
        {
            spec.commandLine().getErr().println("wallet: invalid settings: " + ex.getMessage());
            return 2;
        }
        try
        {
            final HttpResponse<String> response = client(target).send(HttpRequest.newBuilder(target).timeout(TIMEOUT)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
            spec.commandLine().getOut().println(response.statusCode() + " " + response.body());
            return response.statusCode() == 200 ? 0 : 1;
        }
        catch (final IOException ex)
        {
            spec.commandLine().getOut().println("no answer from " + target + ": " + ex);
            return 1;
        }
    }

    private static URI defaultUrl(final WalletSettings settings)
    {
        return URI.create((settings.tls().isPresent() ? "https" : "http") + "://127.0.0.1:" + settings.httpPort() +
            "/health/ready");
    }

    /**
     * A client that, for https, takes whatever certificate the server shows: the probe asks this machine's own
     * server, over loopback, and sends nothing secret.
     */
    private static HttpClient client(final URI target)
    {
        final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if ("https".equals(target.getScheme()))
        {
            // Nor does it check the name in the certificate, which need not be 127.0.0.1 (this JVM runs only the probe).
            System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
            try
            {
                final SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] { new AnyCertificate() }, null);
                builder.sslContext(context);
            }
            catch (final GeneralSecurityException ex)
            {
                throw new IllegalStateException("no TLS here: " + ex.getMessage(), ex);
            }
        }
        return builder.build();
    }

    private static final class AnyCertificate implements X509TrustManager
    {
        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType)
        {
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
        {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
