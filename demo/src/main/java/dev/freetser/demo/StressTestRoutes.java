package dev.freetser.demo;

import dev.freetser.Response;
import dev.freetser.storage.Entry;
import dev.freetser.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The routes of the original's test application, byte for byte, on the {@code items} table:
 * tests and benchmarks written for the Python original run unchanged against the demo. The
 * benchmark harness prefills {@code items} with keys {@code 0..n-1} and values {@code item-{key}}.
 */
final class StressTestRoutes {
    static final String TABLE = "items";

    private final LongSupplier clock;

    /** @param clock the current time in Unix seconds (expired entries count as absent) */
    StressTestRoutes(LongSupplier clock) {
        this.clock = clock;
    }

    /** GET /stress-test/{id}: get-or-create in one routine. */
    Response getOrCreate(String id, Store store) {
        long now = clock.getAsLong();
        return Response.text(store.execute(s -> {
            Optional<Entry> found = s.get(TABLE, id, now);
            if (found.isPresent()) {
                return "Found: " + id + ", counter=" + found.get().counter() + "\n";
            }
            s.add(TABLE, id, defaultValue(id), 0, now);
            return "Created: " + id + "\n";
        }));
    }

    /**
     * POST /stress-test/{id}: create, or update at the counter just read, in one routine. The
     * request carries no precondition, so a concurrent writer is serialized, not refused; the
     * 409 answer is only for an update the store turns down. (The optimistic pattern across two
     * routines, with its real conflicts, is the KV API's If-Match and the OptimisticUpdate example.)
     */
    Response createOrUpdate(String id, byte[] body, Store store) {
        long now = clock.getAsLong();
        byte[] value = body.length == 0 ? defaultValue(id) : body;
        String done = store.execute(s -> {
            Optional<Entry> seen = s.get(TABLE, id, now);
            if (seen.isEmpty()) {
                s.add(TABLE, id, value, 0, now);
                return "Created: ";
            }
            return s.update(TABLE, id, value, seen.get().counter(), 0) ? "Updated: " : null;
        });
        return done == null ? conflict(id) : Response.text(done + id + "\n");
    }

    /** DELETE /stress-test/{id}: an expired entry is removed too, but answers as absent. */
    Response delete(String id, Store store) {
        long now = clock.getAsLong();
        boolean deleted = store.execute(s -> {
            boolean live = s.get(TABLE, id, now).isPresent();
            return s.delete(TABLE, id) && live;
        });
        return deleted ? Response.text("Deleted: " + id + "\n") : Response.text("Not found: " + id + "\n", 404);
    }

    /** What {@code /items} shows: how many live entries, and the first keys. */
    private record Items(long count, List<String> first) {
    }

    /** GET /items: the number of live keys, then the first ten in key order; expired ones count as absent. */
    Response items(Store store) {
        long now = clock.getAsLong();
        Items items = store.read(s -> new Items(s.count(TABLE, now), s.listKeys(TABLE, "", null, 10, now)));
        return Response.text("Items: " + items.count() + "\n" + String.join(", ", items.first()) + "\n");
    }

    private static Response conflict(String id) {
        return Response.text("Update conflict: " + id + "\n", 409);
    }

    private static byte[] defaultValue(String id) {
        return ("item-" + id).getBytes(StandardCharsets.UTF_8);
    }
}
