package dev.freetser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real file system of a few hundred KiB for tests of a full or read-only disk: a tmpfs mounted
 * on a test's folder, and unmounted at close. Tests run as root here, and root ignores permission
 * bits (a {@code chmod 444} file stays writable), but not a read-only mount, a full file system
 * or the immutable attribute ({@code chattr +i}). Mounting needs Linux and CAP_SYS_ADMIN, the
 * attribute CAP_LINUX_IMMUTABLE: where either is refused, the test is skipped, saying why.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path folder;

    private SmallDisk(Path folder) {
        this.folder = folder;
    }

    /** Mounts a tmpfs of {@code kib} KiB on the folder (empty, existing), or skips the test. */
    public static SmallDisk mount(Path folder, int kib) {
        Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux"), "a tmpfs needs Linux");
        Result mounted = run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "freetser-test", folder.toString());
        Assumptions.assumeTrue(mounted.ok(), () -> "cannot mount a tmpfs here (needs root): " + mounted.output());
        return new SmallDisk(folder);
    }

    /** Sets the immutable attribute on each file (root cannot write it either), or skips the test. */
    public static void immutable(Path... files) {
        Result result = run(chattr("+i", files));
        Assumptions.assumeTrue(result.ok(), () -> "cannot set the immutable attribute here: " + result.output());
    }

    /**
     * Skips the test unless the immutable attribute also stops writes through a file already
     * open, as on ext4; tmpfs checks it only when a file is opened.
     */
    public static void assumeImmutableStopsOpenFiles(Path folder) throws IOException {
        Path probe = folder.resolve("immutable-probe");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            immutable(probe);
            try {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                Assumptions.abort("this file system lets a file already open be written after chattr +i");
            } catch (IOException refused) {
                // As wanted: the kernel refused the write.
            } finally {
                mutable(probe);
            }
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Clears the immutable attribute. */
    public static void mutable(Path... files) {
        check(run(chattr("-i", files)));
    }

    public Path folder() {
        return folder;
    }

    /** Grows or shrinks the file system; what is on it stays. */
    public void resize(int kib) {
        check(run("mount", "-o", "remount,size=" + kib + "k", folder.toString()));
    }

    /** Mounts it read-only: fails while a file on it is open for writing. */
    public void readOnly() {
        check(run("mount", "-o", "remount,ro", folder.toString()));
    }

    /** Unmounts, lazily if a file on it is still open, so the test's folder can be deleted. */
    @Override
    public void close() {
        if (!run("umount", folder.toString()).ok()) {
            check(run("umount", "-l", folder.toString()));
        }
    }

    private static String[] chattr(String flag, Path... files) {
        List<String> command = new ArrayList<>(List.of("chattr", flag));
        for (Path file : files) {
            command.add(file.toString());
        }
        return command.toArray(String[]::new);
    }

    private record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private static void check(Result result) {
        if (!result.ok()) {
            fail("command failed (" + result.exit() + "): " + result.output());
        }
    }

    /** Runs a command for up to 10 s; exit -1 if it could not start or did not end. */
    private static Result run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + ": still running after 10 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return new Result(process.exitValue(), String.join(" ", command) + ": " + output);
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, String.join(" ", command) + ": interrupted");
        }
    }
}
