package dev.freetser.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReadyThreadsTest {
    private static ReadyThreads readyThreads(int count) {
        ReadyThreads threads = new ReadyThreads(Thread.ofVirtual().name("ready-", 1).factory());
        threads.start(count);
        awaitWaiting(threads, count);
        return threads;
    }

    /** Waits (bounded by the class timeout) until {@code n} threads are parked. */
    private static void awaitWaiting(ReadyThreads threads, int n) {
        while (threads.waiting() < n) {
            Thread.yield();
        }
    }

    @Test
    void eachTaskRunsOnTheThreadItWasBoundToOneThreadPerTask() throws Exception {
        ReadyThreads threads = readyThreads(4);
        List<Thread> ready = threads.waitingThreads();
        int tasks = 6; // more than are ready: the last two get threads of their own
        var bound = new ConcurrentHashMap<Integer, Thread>();
        var ranOn = new ConcurrentHashMap<Integer, Thread>();
        CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            int id = i;
            threads.run(() -> {
                ranOn.put(id, Thread.currentThread());
                done.countDown();
            }, t -> bound.put(id, t));
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < tasks; i++) {
            assertEquals(bound.get(i), ranOn.get(i), "task " + i);
        }
        assertEquals(tasks, new HashSet<>(ranOn.values()).size(), "one thread per task");
        assertTrue(ranOn.values().containsAll(ready), "the parked threads served the first tasks");
        awaitWaiting(threads, 4); // each task handed to a ready thread started a replacement
        threads.close();
    }

    @Test
    void thePoolGrowsByOneThreadPerTaskUntilItReachesItsTarget() throws Exception {
        AtomicInteger started = new AtomicInteger();
        ThreadFactory virtual = Thread.ofVirtual().name("grow-", 1).factory();
        ReadyThreads threads = new ReadyThreads(r -> {
            started.incrementAndGet();
            return virtual.newThread(r);
        });
        threads.start(2, 4);
        awaitWaiting(threads, 2);
        assertEquals(2, started.get());
        CountDownLatch done = new CountDownLatch(5);
        for (int i = 0; i < 3; i++) {
            threads.run(done::countDown, t -> { });
        }
        // Each task starts a thread (a replacement, or its own); the first two add one each.
        assertEquals(2 + 3 + 2, started.get());
        awaitWaiting(threads, 4);
        for (int i = 0; i < 2; i++) {
            threads.run(done::countDown, t -> { });
        }
        assertEquals(2 + 5 + 2, started.get(), "no more added once the target is reached");
        assertTrue(done.await(10, TimeUnit.SECONDS));
        awaitWaiting(threads, 4);
        threads.close();
    }

    @Test
    void closeEndsTheReadyThreadsAndTasksStillRunAfterIt() throws Exception {
        ReadyThreads threads = readyThreads(3);
        List<Thread> ready = threads.waitingThreads();
        threads.close();
        threads.close();
        for (Thread t : ready) {
            assertTrue(t.join(Duration.ofSeconds(10)), t + " ended");
        }
        assertEquals(0, threads.waiting());
        threads.start(1); // one started after close() ends without parking for good
        CountDownLatch ran = new CountDownLatch(1);
        List<Thread> boundTo = new ArrayList<>();
        threads.run(ran::countDown, boundTo::add);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertTrue(boundTo.getLast().join(Duration.ofSeconds(10)));
        assertFalse(boundTo.getLast().isAlive());
    }

    @Test
    void aTaskHandedWhileClosingRunsExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            ReadyThreads threads = readyThreads(2);
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch ran = new CountDownLatch(1);
            Thread closer = Thread.ofPlatform().start(threads::close);
            threads.run(() -> {
                runs.incrementAndGet();
                ran.countDown();
            }, t -> { });
            closer.join();
            assertTrue(ran.await(10, TimeUnit.SECONDS), "round " + round);
            assertEquals(1, runs.get(), "round " + round);
        }
    }
}
