package dev.freetser.demo;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A fresh demo on a new database file for each test, each test bounded to 60 seconds. */
@Timeout(60)
abstract class DemoTestCase {
    @TempDir
    Path dir;
    DemoFixture demo;

    @BeforeEach
    void startDemo() throws Exception {
        demo = new DemoFixture(dir);
    }

    @AfterEach
    void stopDemo() {
        demo.close();
    }
}
