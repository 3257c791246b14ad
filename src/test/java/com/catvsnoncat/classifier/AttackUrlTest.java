package com.catvsnoncat.classifier;

import static com.catvsnoncat.testing.Futures.await;
import static com.catvsnoncat.classifier.ClassifierTesting.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attack list: URLs of every class a visitor could use to make the service fetch from where it must not, each
 * sent through the real fetcher with the production rules (loopback refused, ports 80 and 443). The only server is a
 * trusted image host on 127.0.0.1 whose pictures the fetcher may take, and which redirects to the refused places; a
 * canary path on it counts every request that got through. Prints the figures.
 */
@ExtendWith(VertxExtension.class)
class AttackUrlTest {
    private static final String TRUSTED = "images.test";
    private static final String CANARY = "/secret";

    /** A DNS server under the attacker's control: names that point inside. */
    private static final Map<String, List<String>> DNS = Map.of(
            TRUSTED, List.of("127.0.0.1"),
            "localhost", List.of("127.0.0.1", "::1"),
            "internal.test", List.of("10.0.0.1"),
            "metadata.test", List.of("169.254.169.254"),
            "mixed.test", List.of("93.184.215.14", "192.168.0.10"),
            "v6.test", List.of("fd00::1"),
            "mapped.test", List.of("::ffff:10.0.0.1"));

    @Test
    void fetchesNothingFromTheAttackList(Vertx vertx) throws Exception {
        ImageServer server = await(ImageServer.start(vertx)).bytes(CANARY, new byte[] {1});
        int port = server.port();
        server.redirect("/hop2", "/hop3").redirect("/hop3", "/hop4").redirect("/hop4", CANARY);
        Map<String, String> attacks = attacks(port);
        attacks.forEach((url, target) -> {
            if (!url.startsWith("http://" + TRUSTED)) {
                return;
            }
            String path = url.substring(url.indexOf('/', 8));
            if (!path.equals(CANARY)) {
                server.redirect(path, target);
            }
        });
        ImageFetcher.Options production = ClassifierConfig.from(new io.vertx.core.json.JsonObject()).fetch();
        ImageFetcher.Options rules = new ImageFetcher.Options(production.connectTimeoutMs(), production.timeoutMs(),
                production.maxBytes(), production.maxRedirects(), false, List.of(80, 443, port), List.of(TRUSTED),
                production.maxConcurrent());
        ImageFetcher fetcher = new ImageFetcher(vertx, rules, AddressPolicy.publicOnly(false), AttackUrlTest::resolve);

        Map<String, Integer> byReason = new TreeMap<>();
        List<String> fetched = new ArrayList<>();
        for (String url : attacks.keySet()) {
            try {
                await(fetcher.fetch(url));
                fetched.add(url);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).as(url).isInstanceOf(FetchRefusal.class);
                byReason.merge(((FetchRefusal) e.getCause()).reason(), 1, Integer::sum);
            }
        }

        System.out.printf("attack URLs: %d, fetched: %d, canary requests: %d, refused by reason: %s%n",
                attacks.size(), fetched.size(), server.hits(CANARY), byReason);
        assertThat(attacks).hasSizeGreaterThanOrEqualTo(40);
        assertThat(fetched).isEmpty();
        assertThat(server.hits(CANARY)).isZero();
        assertThat(byReason).containsKeys(FetchRefusal.SCHEME, FetchRefusal.CREDENTIALS, FetchRefusal.PORT,
                FetchRefusal.INVALID_URL, FetchRefusal.INTERNAL_ADDRESS, FetchRefusal.REDIRECTS);
        // The trusted host itself is served: the refusals above are the rules, not a dead server.
        assertThat(await(fetcher.fetch("http://" + TRUSTED + ":" + port + CANARY)).length()).isEqualTo(1);
    }

    /** Attack URL to, for the trusted host's paths, where that path redirects. */
    private static Map<String, String> attacks(int port) {
        String canary = ":" + port + CANARY;
        String trusted = "http://" + TRUSTED + ":" + port;
        Map<String, String> attacks = new LinkedHashMap<>();
        for (String url : List.of(
                // Schemes other than http(s).
                "file:///etc/passwd", "ftp://example.com/cat.png", "gopher://127.0.0.1:6379/_INFO",
                "jar:http://example.com/a.jar!/cat.png", "data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)",
                "//example.com/cat.png",
                // Credentials, and the user-info trick that hides the real host.
                "http://user:pass@example.com/cat.png", "http://" + TRUSTED + ":" + port + "@127.0.0.1" + canary,
                // Ports other than 80 and 443.
                "http://example.com:22/", "http://example.com:6379/", "https://example.com:8443/",
                // Loopback, private, shared, link-local (cloud metadata), this-network.
                "http://127.0.0.1" + canary, "http://127.0.0.2/", "http://localhost" + canary, "http://10.0.0.1/",
                "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.1/", "http://100.64.0.1/",
                "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0" + canary,
                // Multicast, broadcast, reserved, documentation, benchmarking, IETF.
                "http://224.0.0.1/", "http://255.255.255.255/", "http://240.0.0.1/", "http://192.0.2.1/",
                "http://198.51.100.1/", "http://203.0.113.1/", "http://198.18.0.1/", "http://192.0.0.8/",
                // IPv6: loopback, unspecified, unique-local, link-local, site-local, multicast, documentation.
                "http://[::1]" + canary, "http://[::]/", "http://[fc00::1]/", "http://[fd12:3456::1]/",
                "http://[fe80::1]/", "http://[fec0::1]/", "http://[ff02::1]/", "http://[2001:db8::1]/",
                "http://[fe80::1%25eth0]/",
                // IPv6 forms embedding a refused IPv4: mapped, compatible, NAT64, 6to4, Teredo.
                "http://[::ffff:127.0.0.1]" + canary, "http://[::ffff:7f00:1]" + canary,
                "http://[::ffff:169.254.169.254]/", "http://[::127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/",
                "http://[64:ff9b:1::a00:1]/", "http://[2002:a9fe:a9fe::1]/",
                "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
                // Numeric spellings of loopback and metadata, read as a resolver reads them.
                "http://2130706433" + canary, "http://0x7f000001" + canary, "http://017700000001" + canary,
                "http://0x7f.1" + canary, "http://0177.0.0.1" + canary, "http://127.1" + canary,
                "http://127.0.0.1." + canary, "http://0xa9fea9fe/", "http://0251.0376.0251.0376/",
                "http://0/", "http://256.0.0.1/", "http://08.0.0.1/",
                // Names whose DNS answers point inside, or partly inside.
                "http://internal.test/", "http://metadata.test/", "http://mixed.test/", "http://v6.test/",
                "http://mapped.test/", "http://localhost./")) {
            attacks.put(url, "");
        }
        // Redirects from the trusted host to every class above.
        Map<String, String> redirects = new LinkedHashMap<>();
        redirects.put("/to-loopback", "http://127.0.0.1" + canary);
        redirects.put("/to-localhost", "http://localhost" + canary);
        redirects.put("/to-metadata", "http://169.254.169.254/latest/meta-data/");
        redirects.put("/to-ipv6-loopback", "http://[::1]" + canary);
        redirects.put("/to-mapped", "http://[::ffff:127.0.0.1]" + canary);
        redirects.put("/to-numeric", "http://0x7f.1" + canary);
        redirects.put("/to-decimal", "http://2130706433" + canary);
        redirects.put("/to-private-name", "http://internal.test/");
        redirects.put("/to-file", "file:///etc/passwd");
        redirects.put("/to-port", "http://example.com:22/");
        redirects.put("/to-credentials", "http://a:b@" + TRUSTED + canary);
        redirects.put("/loop", "/loop");
        // Four hops against a limit of 3 (the rest of the chain is set up on the server).
        redirects.put("/hop1", "/hop2");
        redirects.forEach((path, target) -> attacks.put(trusted + path, target));
        return attacks;
    }

    private static Future<List<InetAddress>> resolve(String host) {
        List<String> answer = DNS.get(host.endsWith(".") ? host.substring(0, host.length() - 1) : host);
        if (answer == null) {
            return Future.failedFuture(new UnknownHostException(host));
        }
        return Future.succeededFuture(answer.stream().map(ClassifierTesting::ip).toList());
    }
}
