package dev.freetser.demo;

import dev.freetser.Request;
import dev.freetser.storage.Entry;
import java.util.List;

/**
 * The If-Match and If-None-Match fields of one request, parsed once on the connection's thread
 * and evaluated against the entry as it is inside the storage routine, so that the check and the
 * write it guards are one transaction. Last-Modified is not kept, so If-Unmodified-Since and
 * If-Modified-Since are ignored (RFC 9110 section 13.2.2 steps 2 and 4 never apply).
 *
 * @param ifMatch the If-Match condition, or {@code null} when the field is absent
 * @param ifNoneMatch the If-None-Match condition, or {@code null} when the field is absent
 */
record Preconditions(Condition ifMatch, Condition ifNoneMatch) {

    /** What the request's preconditions say about the current entry. */
    enum Outcome { PROCEED, NOT_MODIFIED, FAILED }

    /**
     * One field: {@code *} or a list of entity tags.
     *
     * @param any whether the field was {@code *}
     * @param tags the listed tags (empty for {@code *})
     */
    record Condition(boolean any, List<EntityTag> tags) {
        /** Whether the current entry (null when there is none) is named by this field. */
        boolean names(Entry current, boolean strong) {
            if (current == null) {
                return false;
            }
            if (any) {
                return true;
            }
            for (EntityTag tag : tags) {
                if (tag.matches(current, strong)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Reads both fields of a request.
     *
     * @throws dev.freetser.HttpException 400 when a field is neither {@code *} nor a list of entity tags
     */
    static Preconditions of(Request request) {
        return new Preconditions(condition(request, "If-Match"), condition(request, "If-None-Match"));
    }

    private static Condition condition(Request request, String field) {
        if (request.header(field) == null) {
            return null;
        }
        List<String> lines = request.headers().all(field);
        if (lines.size() == 1 && lines.getFirst().strip().equals("*")) {
            return new Condition(true, List.of());
        }
        return new Condition(false, EntityTag.parseList(field, lines));
    }

    /**
     * RFC 9110 section 13.2.2. Step 1: If-Match evaluates to false when no listed tag strongly
     * matches the current entry, or when there is no current entry (section 13.1.1), giving 412.
     * Step 3: If-None-Match evaluates to false when a listed tag weakly matches (section 13.1.2)
     * or when it is {@code *} and an entry exists, giving 304 for GET and HEAD and 412 otherwise.
     *
     * @param current the live entry, or {@code null} when the key is absent or expired
     * @param getOrHead whether the request is a GET or a HEAD
     */
    Outcome evaluate(Entry current, boolean getOrHead) {
        if (ifMatch != null && !ifMatch.names(current, true)) {
            return Outcome.FAILED;
        }
        if (ifNoneMatch != null && ifNoneMatch.names(current, false)) {
            return getOrHead ? Outcome.NOT_MODIFIED : Outcome.FAILED;
        }
        return Outcome.PROCEED;
    }
}
