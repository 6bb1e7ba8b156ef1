package dev.freetser.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hand-off of finished routines' outcomes to their waiting callers, by a platform worker. */
@Timeout(20)
class AnswersTest {
    /** Starts {@code count} virtual callers, each waiting on its own task; returns their futures. */
    private static List<FutureTask<Integer>> callers(int count, BlockingQueue<Task<?>> created) {
        List<FutureTask<Integer>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            FutureTask<Integer> caller = new FutureTask<>(() -> {
                Task<Integer> task = new Task<>(s -> n * 10, false);
                created.put(task);
                return task.await();
            });
            results.add(caller);
            Thread.ofVirtual().start(caller);
        }
        return results;
    }

    private static List<Task<?>> ranTasks(BlockingQueue<Task<?>> created, int count) throws InterruptedException {
        List<Task<?>> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Task<?> task = created.take();
            task.run(null);
            tasks.add(task);
        }
        return tasks;
    }

    private static void assertAnswered(List<FutureTask<Integer>> callers) throws Exception {
        int sum = 0;
        for (FutureTask<Integer> caller : callers) {
            sum += caller.get();
        }
        assertEquals(10 * (callers.size() - 1) * callers.size() / 2, sum, "every caller got its own result");
    }

    @Test
    void batchesFinishedOnAPlatformThreadReachTheirCallers() throws Exception {
        try (Answers answers = Answers.start()) {
            BlockingQueue<Task<?>> created = new ArrayBlockingQueue<>(100);
            List<FutureTask<Integer>> callers = callers(100, created);
            FutureTask<Void> worker = new FutureTask<>(() -> {
                List<Task<?>> tasks = ranTasks(created, 100);
                for (int from = 0; from < 100; from += 7) {
                    answers.finish(tasks, from, Math.min(from + 7, 100));
                }
                return null;
            });
            Thread.ofPlatform().start(worker);
            worker.get();
            assertAnswered(callers);
        }
    }

    @Test
    void closeAnswersWhatIsQueuedAndLaterBatchesAreStillAnswered() throws Exception {
        Answers answers = Answers.start();
        BlockingQueue<Task<?>> created = new ArrayBlockingQueue<>(10);
        List<FutureTask<Integer>> callers = callers(10, created);
        List<Task<?>> tasks = ranTasks(created, 10);
        answers.finish(tasks, 0, 5);
        answers.close();
        answers.finish(tasks, 5, 10); // the pipe is closed: the worker answers these itself
        assertAnswered(callers);
    }
}
