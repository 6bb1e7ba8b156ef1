package dev.freetser.storage.spi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks table names before any of them is written into SQL text, by the same rules on every engine. Names are identifiers
 * ({@code [A-Za-z_][A-Za-z0-9_]*}), checked without a regex, and always double-quoted in SQL so
 * that keywords such as {@code ORDER} work too.
 */
public final class TableNames {
    public static final String PATTERN = "[A-Za-z_][A-Za-z0-9_]*";

    private TableNames() {
    }

    /** The names as given, once checked; throws IllegalArgumentException for the first bad one. */
    public static List<String> check(List<String> tables) {
        if (tables == null || tables.isEmpty()) {
            throw new IllegalArgumentException("at least one table is needed");
        }
        Set<String> seen = new HashSet<>();
        List<String> checked = new ArrayList<>(tables.size());
        for (String name : tables) {
            if (!isIdentifier(name)) {
                throw new IllegalArgumentException("invalid table name: it must match " + PATTERN);
            }
            String folded = name.toLowerCase(Locale.ROOT);
            if (folded.startsWith("sqlite_")) {
                throw new IllegalArgumentException("table name " + name + " is reserved: SQLite owns names starting with sqlite_");
            }
            if (!seen.add(folded)) {
                throw new IllegalArgumentException("table " + name + " is given twice (names ignore case)");
            }
            checked.add(name);
        }
        return List.copyOf(checked);
    }

    /** What the opened tables map the name to; throws {@link #unknown} for a name not among them. */
    public static <T> T lookup(Map<String, T> opened, String name) {
        T table = opened.get(name);
        if (table == null) {
            throw unknown(name, opened.keySet());
        }
        return table;
    }

    /** The error for a name that is not one of the opened tables; echoes the name only if it is an identifier. */
    public static IllegalArgumentException unknown(String name, Set<String> opened) {
        if (!isIdentifier(name)) {
            return new IllegalArgumentException("invalid table name: it must match " + PATTERN + " and be one of " + opened);
        }
        return new IllegalArgumentException("unknown table " + name + ": the open tables are " + opened);
    }

    public static boolean isIdentifier(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    public static String quoted(String name) {
        return '"' + name + '"';
    }
}
