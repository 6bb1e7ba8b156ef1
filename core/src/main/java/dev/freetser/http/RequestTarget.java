package dev.freetser.http;

/**
 * The four request-target forms (RFC 9112 3.2): which methods may use which, and where the path
 * and query of an accepted target are. The parser has already checked that the target is
 * non-empty visible ASCII.
 */
final class RequestTarget {
    private RequestTarget() {
    }

    /**
     * Checks the target's form against the method.
     *
     * @throws RemoteProtocolException 501 for CONNECT, 400 for a form the method may not use
     */
    static void check(String method, String target) {
        // RFC 9110 9.3.6: CONNECT asks for a tunnel, which an origin server need not offer.
        if (method.equals("CONNECT")) {
            throw new RemoteProtocolException("CONNECT is not implemented", 501);
        }
        if (target.charAt(0) == '/') {
            return; // origin-form, 3.2.1
        }
        if (target.equals("*")) {
            // asterisk-form, 3.2.4
            if (!method.equals("OPTIONS")) {
                throw new RemoteProtocolException("asterisk-form target is only for OPTIONS", 400);
            }
            return;
        }
        // absolute-form, 3.2.2; anything else would be authority-form (3.2.3), CONNECT only.
        int authority = authorityStart(target);
        if (authority < 0) {
            throw new RemoteProtocolException("request-target is not in origin, absolute or asterisk form", 400);
        }
        int end = authorityEnd(target, authority);
        // RFC 9110 4.2.1: an http URI with an empty host is invalid.
        String host = target.substring(authority, end);
        if (!Syntax.isHost(host) || Syntax.isEmptyHost(host)) {
            throw new RemoteProtocolException("invalid authority in absolute-form target", 400);
        }
    }

    /** Whether an accepted target carries its own authority: only absolute-form does. */
    static boolean hasAuthority(String target) {
        return target.charAt(0) != '/' && !target.equals("*");
    }

    /** The path of an accepted target: up to "?", "/" for an absolute-form target with none, "*" for asterisk-form. */
    static String path(String target) {
        int from = 0;
        int authority = target.charAt(0) == '/' ? -1 : authorityStart(target);
        if (authority >= 0) {
            from = authorityEnd(target, authority);
        }
        int query = target.indexOf('?', from);
        int to = query < 0 ? target.length() : query;
        return from == to ? "/" : target.substring(from, to);
    }

    /** The query of an accepted target (after the first "?"), or "" when there is none. */
    static String query(String target) {
        int query = target.indexOf('?');
        return query < 0 ? "" : target.substring(query + 1);
    }

    /** Where the authority starts after "http://" or "https://" (scheme case-insensitive), or -1. */
    private static int authorityStart(String target) {
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        if (target.regionMatches(true, 0, "https://", 0, 8)) {
            return 8;
        }
        return -1;
    }

    private static int authorityEnd(String target, int from) {
        int i = from;
        while (i < target.length() && target.charAt(i) != '/' && target.charAt(i) != '?') {
            i++;
        }
        return i;
    }
}
