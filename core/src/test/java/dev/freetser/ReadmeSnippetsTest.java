package dev.freetser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md compiles as a reader would paste it: a whole file, with
 * its imports, against the library and its dependencies. {@code -Dfreetser.readme=PATH} checks
 * another file (a draft, say).
 */
@Timeout(180)
class ReadmeSnippetsTest {
    private static final Path README = Path.of(System.getProperty("freetser.readme", System.getProperty("freetser.root", "..") + "/README.md"));

    /** A top-level type at the start of a line: what a whole compilation unit has and a fragment lacks. */
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "(?m)^((?:(?:public|final|abstract|sealed|non-sealed|strictfp)\\s+)*)(?:class|interface|enum|record|@interface)\\s+(\\w+)");

    @TempDir
    Path dir;

    /** A fenced block's code and the README line its code starts on. */
    record Snippet(int line, String code) {
        String firstLine() {
            return code.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
        }
    }

    @Test
    void everyJavaSnippetCompiles() throws IOException {
        List<Snippet> snippets = javaSnippets(Files.readString(README));
        assertFalse(snippets.isEmpty(), README + " has no ```java block");
        List<String> problems = new ArrayList<>();
        for (Snippet snippet : snippets) {
            String problem = problem(snippet);
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " of " + snippets.size() + " README snippets fail:\n\n" + String.join("\n\n", problems));
        }
    }

    /** The checker itself, on snippets whose verdict is known, so a pass above means something. */
    @Test
    void completeSnippetsPassAndFragmentsAndBrokenOnesAreNamed() throws IOException {
        List<Snippet> snippets = javaSnippets("""
                Text.

                ```java
                import dev.freetser.*;

                public class Hello {
                    static final Handler HANDLER = (req, store) -> Response.text("hi");
                }
                ```

                ```java
                Handler handler = (req, store) -> Response.text("hi");
                ```

                ```java
                public class Broken {
                    static final Handler HANDLER = null;
                }
                ```
                """);
        assertEquals(List.of(4, 12, 16), snippets.stream().map(Snippet::line).toList());
        assertNull(problem(snippets.get(0)));

        String fragment = problem(snippets.get(1));
        assertTrue(fragment.contains("README.md:12") && fragment.contains("`Handler handler = (req, store) -> Response.text(\"hi\");`")
                && fragment.contains("README snippets must be complete, with their imports"), fragment);

        String broken = problem(snippets.get(2));
        assertTrue(broken.contains("README.md:16") && broken.contains("`public class Broken {`")
                && broken.contains("README.md:17: cannot find symbol"), broken);
    }

    static List<Snippet> javaSnippets(String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```java")) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                    end++;
                }
                snippets.add(new Snippet(i + 2, String.join("\n", lines.subList(i + 1, end)) + "\n"));
                i = end;
            }
        }
        return snippets;
    }

    /** Null when the snippet compiles; else what is wrong, naming its README line and its first line. */
    private String problem(Snippet snippet) throws IOException {
        String name = "README.md:" + snippet.line() + " (`" + snippet.firstLine() + "`)";
        String type = fileName(snippet.code());
        if (type == null) {
            return name + " is a fragment: README snippets must be complete, with their imports"
                    + " (a whole .java file that declares a class), so a reader can paste and compile them.";
        }
        Path folder = Files.createTempDirectory(dir, "snippet");
        Path source = Files.writeString(folder.resolve(type + ".java"), snippet.code());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "21", "-proc:none", "-d", folder.resolve("classes").toString(),
                    "-classpath", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
            compiled = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(source)).call();
        }
        if (compiled) {
            return null;
        }
        StringBuilder errors = new StringBuilder(name + " does not compile:");
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                long line = snippet.line() + d.getLineNumber() - 1;
                errors.append("\n  README.md:").append(line).append(": ").append(d.getMessage(Locale.ROOT).replace("\n", "\n    "));
            }
        }
        return errors.toString();
    }

    /** The file a whole compilation unit must be saved as: its public top-level type, else its first; null for a fragment. */
    private static String fileName(String code) {
        String first = null;
        Matcher m = TOP_LEVEL_TYPE.matcher(code);
        while (m.find()) {
            if (m.group(1).contains("public")) {
                return m.group(2);
            }
            first = first == null ? m.group(2) : first;
        }
        return first;
    }
}
