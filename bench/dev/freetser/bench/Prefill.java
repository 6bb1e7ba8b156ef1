package dev.freetser.bench;

import dev.freetser.storage.StorageQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Fills the demo's {@code items} table with keys {@code 0..n-1}, each with the value
 * {@code item-<key>} and counter 0, as {@code GET /stress-test/<key>} would create them, so a
 * load run hits existing keys from its first request. Keys already present are left as they are.
 * {@code bench/load.sh} runs it as a source file on the demo jar's classpath:
 * {@code java -cp demo/target/freetser-demo.jar bench/dev/freetser/bench/Prefill.java FILE N}.
 */
public final class Prefill {
    private static final String TABLE = "items";

    private Prefill() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || args[1].isEmpty() || args[1].length() > 9 || !args[1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            System.err.println("usage: Prefill DB_FILE KEYS (KEYS a number from 0 to 999999999)");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int keys = Integer.parseInt(args[1]);
        try (StorageQueue store = StorageQueue.open(file, List.of(TABLE))) {
            int added = store.execute(s -> {
                int n = 0;
                for (int i = 0; i < keys; i++) {
                    String key = Integer.toString(i);
                    if (s.get(TABLE, key).isEmpty()) {
                        s.add(TABLE, key, ("item-" + key).getBytes(StandardCharsets.UTF_8), 0);
                        n++;
                    }
                }
                return n;
            });
            System.out.printf("prefill: %d keys in %s (%d added)%n", keys, file.toAbsolutePath(), added);
        }
    }
}
