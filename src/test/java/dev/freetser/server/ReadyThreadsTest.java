package dev.freetser.server;

import static dev.freetser.Polling.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
        threads.start(count, count);
        awaitWaiting(threads, count);
        return threads;
    }

    /** Waits until {@code n} threads are parked; fails after 10 s. */
    private static void awaitWaiting(ReadyThreads threads, int n) {
        until(() -> threads.waiting() >= n, n + " threads waiting");
    }

    @Test
    void eachTaskRunsOnTheThreadItWasBoundToOneThreadPerTaskAtATime() throws Exception {
        ReadyThreads threads = readyThreads(4);
        List<Thread> ready = threads.waitingThreads();
        int tasks = 6; // more than are ready: the last two get threads of their own
        var bound = new ConcurrentHashMap<Integer, Thread>();
        var ranOn = new ConcurrentHashMap<Integer, Thread>();
        CountDownLatch running = new CountDownLatch(tasks);
        CountDownLatch finish = new CountDownLatch(1);
        for (int i = 0; i < tasks; i++) {
            int id = i;
            threads.run(() -> {
                ranOn.put(id, Thread.currentThread());
                running.countDown();
                await(finish);
            }, t -> bound.put(id, t));
        }
        assertTrue(running.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < tasks; i++) {
            assertEquals(bound.get(i), ranOn.get(i), "task " + i);
        }
        assertEquals(tasks, new HashSet<>(ranOn.values()).size(), "one thread per task running at once");
        assertTrue(ranOn.values().containsAll(ready), "the parked threads served the first tasks");
        finish.countDown();
        threads.close();
    }

    @Test
    void aThreadWhoseTaskEndedParksAgainAndServesTheNextTaskWithItsInterruptCleared() throws Exception {
        AtomicInteger started = new AtomicInteger();
        ReadyThreads threads = new ReadyThreads(counting("again-", started));
        threads.start(0, 1);
        assertEquals(0, started.get());
        var first = new ArrayBlockingQueue<Thread>(1);
        threads.run(() -> {
            first.add(Thread.currentThread());
            Thread.currentThread().interrupt(); // left set: the next task must not see it
        }, t -> { });
        assertEquals(1, started.get(), "none was ready: a thread of its own");
        Thread t1 = first.poll(10, TimeUnit.SECONDS);
        awaitWaiting(threads, 1);
        assertEquals(List.of(t1), threads.waitingThreads());

        var second = new ArrayBlockingQueue<List<Object>>(1);
        List<Thread> boundTo = new ArrayList<>();
        threads.run(() -> second.add(List.of(Thread.currentThread(), Thread.currentThread().isInterrupted())),
                boundTo::add);
        assertEquals(List.of(t1, false), second.poll(10, TimeUnit.SECONDS));
        assertEquals(List.of(t1), boundTo);
        assertEquals(1, started.get(), "no thread started for the second task");
        awaitWaiting(threads, 1);
        threads.close();
        assertTrue(t1.join(Duration.ofSeconds(10)));
    }

    @Test
    void aThreadHandedOutWhileFewerThanTheReserveWaitIsReplacedAndNoMoreThanTheTargetParkAgain()
            throws Exception {
        AtomicInteger started = new AtomicInteger();
        ReadyThreads threads = new ReadyThreads(counting("reserve-", started));
        threads.start(2, 3);
        awaitWaiting(threads, 2);
        CountDownLatch running = new CountDownLatch(4);
        CountDownLatch finish = new CountDownLatch(1);
        List<Thread> ran = new CopyOnWriteArrayList<>();
        Runnable task = () -> {
            ran.add(Thread.currentThread());
            running.countDown();
            await(finish);
        };
        threads.run(task, t -> { });
        assertEquals(3, started.get(), "1 of 2 left ready: replaced");
        awaitWaiting(threads, 2);
        threads.run(task, t -> { });
        threads.run(task, t -> { });
        threads.run(task, t -> { });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertEquals(3 + 3, started.get(), "each of the other three handed out below the reserve was replaced");
        awaitWaiting(threads, 2);
        finish.countDown();
        for (Thread t : ran) { // four threads finish their task with two waiting: one parks again
            until(() -> !t.isAlive() || threads.waitingThreads().contains(t), t + " ended or parked again");
        }
        assertEquals(3, threads.waiting(), "the target");
        assertEquals(3, ran.stream().filter(t -> !t.isAlive()).count(), "the others ended");
        threads.close();
    }

    /** Virtual threads named {@code name} and a number, counted in {@code started}. */
    private static ThreadFactory counting(String name, AtomicInteger started) {
        ThreadFactory virtual = Thread.ofVirtual().name(name, 1).factory();
        return r -> {
            started.incrementAndGet();
            return virtual.newThread(r);
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
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
        threads.start(1, 1); // one started after close() ends without parking for good
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
