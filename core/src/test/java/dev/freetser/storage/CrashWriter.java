package dev.freetser.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link DurabilityTest}: several virtual threads add keys through
 * {@code execute} and print each key only after {@code execute} returned, until the test kills
 * the process. Arguments: database file, durability.
 */
public final class CrashWriter {
    private static final int WRITERS = 8;
    private static final int MAX_KEYS_PER_WRITER = 200_000;

    private CrashWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        StorageOptions options = StorageOptions.defaults().withDurability(Durability.valueOf(args[1]));
        StorageQueue store = StorageQueue.open(Path.of(args[0]), List.of("ACKED"), options);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String prefix = "w" + w + "-";
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < MAX_KEYS_PER_WRITER; i++) {
                    String key = prefix + i;
                    store.execute(s -> {
                        s.add("ACKED", key, key.getBytes(StandardCharsets.UTF_8), 0);
                        return null;
                    });
                    System.out.println(key);
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        store.close();
    }
}
