package dev.freetser;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Readable one-line console logs for {@code System.Logger} (through java.util.logging, the JDK's
 * default backend): {@code time level [thread] logger: message}. Lines are formatted on the
 * logging thread but written to the console by a background thread ({@code freetser-log}), so a
 * request thread never waits on a slow terminal; if 10,000 lines are pending, further lines are
 * dropped and counted. The Java twin of the original's {@code setup_logging()}.
 *
 * <pre>{@code try (var logs = ConsoleLogging.install()) { ... } }</pre>
 */
public final class ConsoleLogging implements AutoCloseable {
    private static final int CAPACITY = 10_000;
    private static final String STOP = new String("stop");

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final QueueHandler handler = new QueueHandler();
    private final Thread writer;
    private final PrintStream console;
    private final Handler[] replaced;
    private final Level replacedLevel;

    private ConsoleLogging(PrintStream console, Level level) {
        this.console = console;
        Logger root = Logger.getLogger("");
        replaced = root.getHandlers();
        replacedLevel = root.getLevel();
        for (Handler h : replaced) {
            root.removeHandler(h);
        }
        handler.setLevel(level);
        root.setLevel(level);
        root.addHandler(handler);
        writer = Thread.ofPlatform().name("freetser-log").daemon().start(this::drain);
    }

    /** Replaces the root handlers with a console one at level INFO, writing to standard error. */
    public static ConsoleLogging install() {
        return install(Level.INFO, System.err);
    }

    /** Replaces the root handlers with a console one at the given level, writing to {@code console}. */
    public static ConsoleLogging install(Level level, PrintStream console) {
        return new ConsoleLogging(console, level);
    }

    /** Lines dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Writes what is pending, then puts back the handlers and level it replaced. Idempotent. */
    @Override
    public void close() {
        Logger root = Logger.getLogger("");
        root.removeHandler(handler);
        if (writer.isAlive()) {
            for (Handler h : replaced) {
                root.addHandler(h);
            }
            root.setLevel(replacedLevel);
            try {
                lines.put(STOP);
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void drain() {
        try {
            while (true) {
                String line = lines.take();
                if (line == STOP) {
                    console.flush();
                    return;
                }
                console.println(line);
                if (lines.isEmpty()) {
                    console.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String format(LogRecord r) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(Instant.ofEpochMilli(r.getMillis())).append(' ')
                .append(String.format("%-7s", r.getLevel().getName())).append(" [")
                .append(Thread.currentThread().getName()).append("] ")
                .append(r.getLoggerName()).append(": ");
        String message = r.getMessage();
        Object[] params = r.getParameters();
        if (message != null && params != null && params.length > 0) {
            message = java.text.MessageFormat.format(message, params);
        }
        sb.append(message);
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            sb.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        return sb.toString();
    }

    private final class QueueHandler extends Handler {
        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r) && !lines.offer(format(r))) {
                dropped.incrementAndGet();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
