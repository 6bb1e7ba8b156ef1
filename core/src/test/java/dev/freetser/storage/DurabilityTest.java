package dev.freetser.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The process-crash guarantee of both durability modes: whatever {@code execute} acknowledged
 * is in the database after the writing process is killed with SIGKILL at a random moment, and
 * the file passes {@code PRAGMA integrity_check}. (Power loss, the other half of FULL's promise,
 * cannot be tested from a JVM.)
 */
class DurabilityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Durability.class)
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyAcknowledgedWriteSurvivesSigkill(Durability durability) throws Exception {
        Path file = dir.resolve("crash.db");
        Path errors = dir.resolve("child-stderr.txt");
        int killAfter = ThreadLocalRandom.current().nextInt(200, 3000);
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                CrashWriter.class.getName(), file.toString(), durability.name())
                .redirectError(errors.toFile())
                .start();
        Set<String> acked = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && acked.size() < killAfter; line = out.readLine()) {
                acked.add(line);
            }
            assertEquals(killAfter, acked.size(), () -> "the child stopped early: " + read(errors));
            // SIGKILL, through the handle: Process.destroyForcibly() would also close our end of stdout.
            assertTrue(child.toHandle().destroyForcibly());
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                acked.add(line); // printed before the kill, so acknowledged too
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the child did not die");
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL (128 + 9)");

        assertEquals("ok", integrityCheck(file));
        try (StorageQueue reopened = StorageQueue.open(file, List.of("ACKED"))) {
            Set<String> stored = new HashSet<>(reopened.execute(s -> s.listKeys("ACKED")));
            Set<String> lost = new HashSet<>(acked);
            lost.removeAll(stored);
            assertEquals(Set.of(), lost, "acknowledged keys missing after the crash");
            assertNotNull(reopened.read(s -> s.get("ACKED", acked.iterator().next()).orElseThrow()));
        }
    }

    private static String integrityCheck(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA integrity_check")) {
            return row.next() ? row.getString(1) : "no answer";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
