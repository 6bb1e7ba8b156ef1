package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.ServerConfig;
import dev.freetser.storage.StorageOptions;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import dev.freetser.storage.Durability;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DemoOptionsTest {

    @Test
    void noFlagsGiveTheDefaults() {
        assertEquals(new DemoOptions("127.0.0.1", 8000, null, "freetser-demo.db", 10_000, false, Duration.ofSeconds(60),
                Durability.NORMAL, false), DemoOptions.parse());
    }

    @Test
    void everyFlagIsRead() {
        assertEquals(new DemoOptions("0.0.0.0", 0, null, ":memory:", 20_000, true, Duration.ofSeconds(5), Durability.FULL, false),
                DemoOptions.parse("--host", "0.0.0.0", "--port", "0", "--db", ":memory:", "--log-requests",
                        "--max-connections", "20000", "--purge-interval", "5", "--durability", "full"));
    }

    @Test
    void valuesMayFollowAnEqualsSign() {
        assertEquals(new DemoOptions("::1", 9000, null, "a=b.db", 10_000, false, Duration.ofSeconds(60), Durability.NORMAL,
                false), DemoOptions.parse("--host=::1", "--port=9000", "--db=a=b.db"));
    }

    @Test
    void durabilityIsNormalOrFullAndReachesTheStorageOptions() {
        assertEquals(Durability.FULL, DemoOptions.parse("--durability=full").storageOptions().durability());
        assertEquals(Durability.NORMAL, DemoOptions.parse("--durability", "normal").storageOptions().durability());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--durability", "FULL"));
        assertEquals("--durability must be normal or full, got 'FULL'", e.getMessage());
    }

    @Test
    void theDemoPurgesExpiredEntriesByDefaultAndZeroTurnsThatOff() {
        assertEquals(Duration.ofSeconds(60), DemoOptions.parse().storageOptions().purgeInterval());
        assertEquals(Duration.ZERO, DemoOptions.parse("--purge-interval", "0").storageOptions().purgeInterval());
        assertEquals(Duration.ofDays(1), DemoOptions.parse("--purge-interval=86400").storageOptions().purgeInterval());
        // Only the purge differs from the library's defaults.
        assertEquals(StorageOptions.defaults().withPurgeInterval(Duration.ofSeconds(60)), DemoOptions.parse().storageOptions());
    }

    @Test
    void unixSocketReplacesTcp() {
        DemoOptions options = DemoOptions.parse("--unix-socket", "/tmp/demo.sock");
        assertEquals(Path.of("/tmp/demo.sock"), options.unixSocket());
        assertEquals(UnixDomainSocketAddress.of("/tmp/demo.sock"), options.serverConfig().address());
    }

    @Test
    void helpIsRecognisedInBothSpellings() {
        assertTrue(DemoOptions.parse("--help").help());
        assertTrue(DemoOptions.parse("--port", "1", "-h").help());
    }

    @Test
    void serverConfigCarriesAddressRequestLoggingAndConnectionCap() {
        ServerConfig config = DemoOptions.parse("--port", "0", "--log-requests", "--max-connections=7").serverConfig();
        assertEquals(7, config.limits().maxConnections());
        InetSocketAddress address = (InetSocketAddress) config.address();
        assertEquals("127.0.0.1", address.getHostString());
        assertEquals(0, address.getPort());
        assertTrue(config.logRequests());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --nope                          | unknown option --nope
            --port                          | --port needs a value
            --port --db x                   | --port needs a value
            --db=                           | --db needs a non-empty value
            --port abc                      | --port must be a number from 0 to 65535, got 'abc'
            --port 65536                    | --port must be a number from 0 to 65535, got '65536'
            --port -1                       | --port must be a number from 0 to 65535, got '-1'
            --port 123456                   | --port must be a number from 0 to 65535, got '123456'
            --port 1 --port 2               | --port given more than once
            --log-requests=yes              | --log-requests takes no value
            --max-connections 0             | --max-connections must be a number from 1 to 1000000, got '0'
            --max-connections many          | --max-connections must be a number from 1 to 1000000, got 'many'
            --purge-interval 86401          | --purge-interval must be a number of seconds from 0 to 86400, got '86401'
            --purge-interval -1             | --purge-interval must be a number of seconds from 0 to 86400, got '-1'
            --purge-interval 1m             | --purge-interval must be a number of seconds from 0 to 86400, got '1m'
            --purge-interval=               | --purge-interval needs a non-empty value
            --unix-socket /tmp/s --port 1   | --unix-socket listens instead of TCP: do not combine it with --host or --port
            """)
    void badFlagsAreRejectedWithWhatWasWrong(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(args.split(" ")));
        assertEquals(message, e.getMessage());
    }
}
