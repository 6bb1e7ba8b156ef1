package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freetser.demo.DemoFixture.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The KV API over real HTTP: each conditional-request case of RFC 9110 section 13 with its status. */
class KvRoutesTest extends DemoTestCase {
    private static final String PRECONDITION_FAILED =
            "precondition failed: the entry is not in the state If-Match or If-None-Match asks for\n";

    private static String tag(long counter, String value) {
        return "\"" + counter + "-" + EntityTag.digest(value.getBytes(StandardCharsets.UTF_8)) + "\"";
    }

    private static void assertText(int status, String body, Reply reply) {
        assertEquals(status, reply.status());
        assertEquals(body, reply.text());
        assertEquals("text/plain; charset=utf-8", reply.header("Content-Type"));
    }

    private void assertValue(String path, String value) throws Exception {
        Reply reply = demo.get(path);
        assertEquals(200, reply.status());
        assertEquals(value, reply.text());
    }

    private void assertAbsent(String path) throws Exception {
        assertText(404, "no such key\n", demo.get(path));
    }

    @Test
    void putCreatesWith201ThenReplacesWith200() throws Exception {
        Reply created = demo.put("/kv/kv/a", "one");
        assertEquals(201, created.status());
        assertEquals(tag(0, "one"), created.header("ETag"));
        assertEquals(0, created.body().length);
        Reply replaced = demo.put("/kv/kv/a", "two");
        assertEquals(200, replaced.status());
        assertEquals(tag(1, "two"), replaced.header("ETag"));
        Reply read = demo.get("/kv/kv/a");
        assertEquals(200, read.status());
        assertEquals("two", read.text());
        assertEquals("application/octet-stream", read.header("Content-Type"));
        assertEquals(tag(1, "two"), read.header("ETag"));
    }

    @Test
    void valuesAreStoredAsExactBytes() throws Exception {
        byte[] value = {0, (byte) 0xff, '\r', '\n', 42};
        assertEquals(201, demo.send("PUT", "/kv/kv/bin", value).status());
        assertArrayEquals(value, demo.get("/kv/kv/bin").body());
        assertArrayEquals(value, demo.store.execute(s -> s.get("kv", "bin")).orElseThrow().value());
    }

    @Test
    void getOfAbsentKeyGives404() throws Exception {
        assertAbsent("/kv/kv/missing");
        assertAbsent("/kv/items/missing");
    }

    @Test
    void headSendsTheHeadersOfGetWithoutTheBody() throws Exception {
        demo.put("/kv/kv/h", "abc");
        Reply head = demo.send("HEAD", "/kv/kv/h", null);
        assertEquals(200, head.status());
        assertEquals(tag(0, "abc"), head.header("ETag"));
        assertEquals("3", head.header("Content-Length"));
        assertEquals(0, head.body().length);
        String response = demo.raw("HEAD /kv/kv/h HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.endsWith("\r\n\r\n"), response);
    }

    @Test
    void ifNoneMatchWithTheCurrentTagGives304() throws Exception {
        String etag = demo.put("/kv/kv/c", "v").header("ETag");
        for (String field : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
            Reply reply = demo.get("/kv/kv/c", "If-None-Match", field);
            assertEquals(304, reply.status(), field);
            assertEquals(etag, reply.header("ETag"));
            assertEquals(0, reply.body().length);
        }
        Reply changed = demo.get("/kv/kv/c", "If-None-Match", tag(0, "old"));
        assertEquals(200, changed.status());
        assertEquals("v", changed.text());
    }

    @Test
    void ifNoneMatchStarCreatesOnlyWhenAbsent() throws Exception {
        assertEquals(201, demo.put("/kv/kv/once", "first", "If-None-Match", "*").status());
        assertText(412, PRECONDITION_FAILED, demo.put("/kv/kv/once", "second", "If-None-Match", "*"));
        assertValue("/kv/kv/once", "first");
    }

    @Test
    void ifMatchUpdatesOnlyTheRepresentationItNames() throws Exception {
        String first = demo.put("/kv/kv/m", "1").header("ETag");
        Reply updated = demo.put("/kv/kv/m", "2", "If-Match", first);
        assertEquals(200, updated.status());
        assertEquals(tag(1, "2"), updated.header("ETag"));
        assertText(412, PRECONDITION_FAILED, demo.put("/kv/kv/m", "3", "If-Match", first));
        assertText(412, PRECONDITION_FAILED, demo.put("/kv/kv/m", "3", "If-Match", "W/" + updated.header("ETag")));
        assertValue("/kv/kv/m", "2");
    }

    @Test
    void ifMatchOnAnAbsentKeyGives412AndCreatesNothing() throws Exception {
        assertText(412, PRECONDITION_FAILED, demo.put("/kv/kv/none", "v", "If-Match", tag(0, "v")));
        assertText(412, PRECONDITION_FAILED, demo.put("/kv/kv/none", "v", "If-Match", "*"));
        assertAbsent("/kv/kv/none");
    }

    @Test
    void ifMatchStarUpdatesAnyCurrentEntry() throws Exception {
        demo.put("/kv/kv/s", "a");
        assertEquals(200, demo.put("/kv/kv/s", "b", "If-Match", "*").status());
        assertValue("/kv/kv/s", "b");
    }

    @Test
    void recreatedKeyDoesNotMatchTheOldTagDespiteTheSameCounter() throws Exception {
        String old = demo.put("/kv/kv/aba", "before").header("ETag");
        assertEquals(204, demo.delete("/kv/kv/aba").status());
        String recreated = demo.put("/kv/kv/aba", "after").header("ETag");
        assertNotEquals(old, recreated);
        assertTrue(recreated.startsWith("\"0-"), recreated);
        assertText(412, PRECONDITION_FAILED, demo.put("/kv/kv/aba", "lost update", "If-Match", old));
        assertEquals(200, demo.get("/kv/kv/aba", "If-None-Match", old).status());
        assertValue("/kv/kv/aba", "after");
    }

    @Test
    void recreatedKeyWithTheSameValueHasTheSameTag() throws Exception {
        String old = demo.put("/kv/kv/same", "v").header("ETag");
        demo.delete("/kv/kv/same");
        assertEquals(old, demo.put("/kv/kv/same", "v").header("ETag"));
    }

    @Test
    void deleteAnswers204Then404() throws Exception {
        demo.put("/kv/kv/d", "v");
        Reply deleted = demo.delete("/kv/kv/d");
        assertEquals(204, deleted.status());
        assertEquals(0, deleted.body().length);
        assertText(404, "no such key\n", demo.delete("/kv/kv/d"));
    }

    @Test
    void deleteWithIfMatchDeletesOnlyTheNamedRepresentation() throws Exception {
        String first = demo.put("/kv/kv/d", "1").header("ETag");
        String second = demo.put("/kv/kv/d", "2").header("ETag");
        assertText(412, PRECONDITION_FAILED, demo.delete("/kv/kv/d", "If-Match", first));
        assertValue("/kv/kv/d", "2");
        assertEquals(204, demo.delete("/kv/kv/d", "If-Match", second).status());
        assertAbsent("/kv/kv/d");
    }

    @Test
    void deleteOfAnAbsentKeyIgnoresPreconditions() throws Exception {
        assertText(404, "no such key\n", demo.delete("/kv/kv/gone", "If-Match", "*"));
    }

    @Test
    void ttlFromQueryExpiresAfterItsSeconds() throws Exception {
        assertEquals(201, demo.put("/kv/kv/t?ttl=10", "v").status());
        demo.clock.addAndGet(10);
        assertValue("/kv/kv/t", "v");
        demo.clock.addAndGet(1);
        assertAbsent("/kv/kv/t");
        assertText(404, "no such key\n", demo.delete("/kv/kv/t"));
        assertEquals(201, demo.put("/kv/kv/t", "new", "If-None-Match", "*").status());
        assertEquals(tag(0, "new"), demo.get("/kv/kv/t").header("ETag"));
    }

    @Test
    void ttlFromHeaderWorksTheSame() throws Exception {
        assertEquals(201, demo.put("/kv/kv/t", "v", "X-TTL", "1").status());
        demo.clock.addAndGet(2);
        assertAbsent("/kv/kv/t");
    }

    @Test
    void putWithoutTtlMakesTheEntryPermanent() throws Exception {
        demo.put("/kv/kv/p?ttl=5", "v");
        assertEquals(200, demo.put("/kv/kv/p", "w").status());
        demo.clock.addAndGet(1_000_000);
        assertValue("/kv/kv/p", "w");
    }

    @Test
    void badTtlGives400AndStoresNothing() throws Exception {
        String message = "ttl must be a whole number of seconds from 1 to 315360000\n";
        for (String ttl : new String[] {"0", "-1", "1.5", "abc", "", "315360001", "9999999999", "%2B5"}) {
            assertText(400, message, demo.put("/kv/kv/bad?ttl=" + ttl, "v"));
        }
        assertText(400, message, demo.put("/kv/kv/bad", "v", "X-TTL", "forever"));
        assertText(400, "give the TTL once: as ?ttl= or as X-TTL, not both\n", demo.put("/kv/kv/bad?ttl=5", "v", "X-TTL", "5"));
        assertAbsent("/kv/kv/bad");
    }

    @Test
    void malformedConditionGives400AndChangesNothing() throws Exception {
        demo.put("/kv/kv/k", "v");
        assertText(400, "malformed If-Match header: expected * or a list of quoted entity tags\n",
                demo.put("/kv/kv/k", "w", "If-Match", "0-abc"));
        assertValue("/kv/kv/k", "v");
    }

    @Test
    void listGivesLiveKeysAsJsonWithPrefixAndLimit() throws Exception {
        for (String key : new String[] {"b2", "a1", "b1", "c", "b3"}) {
            demo.put("/kv/kv/" + key, "v");
        }
        demo.put("/kv/kv/b0?ttl=1", "v");
        demo.clock.addAndGet(2);
        Reply all = demo.get("/kv/kv");
        assertEquals(200, all.status());
        assertEquals("application/json", all.header("Content-Type"));
        assertEquals("[\"a1\",\"b1\",\"b2\",\"b3\",\"c\"]", all.text());
        assertEquals("[\"b1\",\"b2\"]", demo.get("/kv/kv?prefix=b&limit=2").text());
        assertEquals("[]", demo.get("/kv/kv?prefix=z").text());
    }

    /** The URL in a {@code Link: <url>; rel="next"} header, or null without one. */
    private static String next(Reply reply) {
        String link = reply.header("Link");
        if (link == null) {
            return null;
        }
        assertTrue(link.startsWith("<") && link.endsWith(">; rel=\"next\""), link);
        return link.substring(1, link.indexOf('>'));
    }

    @Test
    void listPagesEndWithALinkToTheNextPageAfterTheLastKey() throws Exception {
        for (int i = 24; i >= 0; i--) {
            demo.put("/kv/kv/k%02d".formatted(i), "v");
        }
        demo.put("/kv/kv/k05x?ttl=1", "v");
        demo.clock.addAndGet(2);
        Reply first = demo.get("/kv/kv?limit=10");
        assertEquals(200, first.status());
        assertEquals("[\"k00\",\"k01\",\"k02\",\"k03\",\"k04\",\"k05\",\"k06\",\"k07\",\"k08\",\"k09\"]", first.text());
        assertEquals("</kv/kv?after=k09&limit=10>; rel=\"next\"", first.header("Link"));
        Reply second = demo.get(next(first));
        assertEquals("[\"k10\",\"k11\",\"k12\",\"k13\",\"k14\",\"k15\",\"k16\",\"k17\",\"k18\",\"k19\"]", second.text());
        assertEquals("/kv/kv?after=k19&limit=10", next(second));
        Reply last = demo.get(next(second));
        assertEquals(200, last.status());
        assertEquals("[\"k20\",\"k21\",\"k22\",\"k23\",\"k24\"]", last.text());
        assertEquals(null, last.header("Link"));
    }

    @Test
    void aPageThatEndsTheListHasNoLinkEvenWhenFull() throws Exception {
        for (String key : new String[] {"a", "b", "c", "d"}) {
            demo.put("/kv/kv/" + key, "v");
        }
        Reply first = demo.get("/kv/kv?limit=2");
        assertEquals("[\"a\",\"b\"]", first.text());
        Reply second = demo.get(next(first));
        assertEquals("[\"c\",\"d\"]", second.text());
        assertEquals(null, second.header("Link"));
        assertEquals("[\"c\",\"d\"]", demo.get("/kv/kv?after=b").text());
        assertEquals("[\"c\",\"d\"]", demo.get("/kv/kv?after=bb").text());
        assertEquals("[]", demo.get("/kv/kv?after=d").text());
    }

    @Test
    void theNextLinkKeepsThePrefixAndEncodesKeys() throws Exception {
        for (String key : new String[] {"caf%C3%A9%20a%2Fb", "caf%C3%A9%20a%2Bc", "caf%C3%A9%20a&d", "caf%C3%A9%20b", "cafe"}) {
            assertEquals(201, demo.put("/kv/kv/" + key, "v").status());
        }
        Reply first = demo.get("/kv/kv?prefix=caf%C3%A9+a&limit=2");
        assertEquals("[\"café a&d\",\"café a+c\"]", first.text());
        assertEquals("/kv/kv?prefix=caf%C3%A9+a&after=caf%C3%A9+a%2Bc&limit=2", next(first));
        Reply second = demo.get(next(first));
        assertEquals("[\"café a/b\"]", second.text());
        assertEquals(null, second.header("Link"));
    }

    @Test
    void prefixOrAfterLongerThanTheLongestKeyGives400() throws Exception {
        assertEquals("[]", demo.get("/kv/kv?prefix=" + "p".repeat(512) + "&after=" + "a".repeat(512)).text());
        assertText(400, "prefix exceeds 512 bytes, the longest key\n", demo.get("/kv/kv?prefix=" + "p".repeat(513)));
        assertText(400, "after exceeds 512 bytes, the longest key\n", demo.get("/kv/kv?after=" + "%C3%A9".repeat(257)));
    }

    @Test
    void badLimitGives400() throws Exception {
        for (String limit : new String[] {"0", "1001", "-1", "x", "", "10000"}) {
            assertText(400, "limit must be a whole number from 1 to 1000\n", demo.get("/kv/kv?limit=" + limit));
        }
    }

    @Test
    void tablesAreListedAndUnknownTablesGive404() throws Exception {
        assertEquals("[\"kv\",\"items\"]", demo.get("/kv").text());
        assertEquals("[\"kv\",\"items\"]", demo.get("/kv/").text());
        String unknown = "unknown table; the tables are kv, items\n";
        assertText(404, unknown, demo.get("/kv/users/a"));
        assertText(404, unknown, demo.put("/kv/sqlite_master/a", "v"));
        assertText(404, unknown, demo.get("/kv/KV"));
    }

    @Test
    void otherMethodsGive405WithAllow() throws Exception {
        Reply onKey = demo.send("POST", "/kv/kv/a", "v".getBytes(StandardCharsets.UTF_8));
        assertText(405, "method not allowed; use GET, HEAD, PUT, DELETE\n", onKey);
        assertEquals("GET, HEAD, PUT, DELETE", onKey.header("Allow"));
        Reply onTable = demo.delete("/kv/kv");
        assertText(405, "method not allowed; use GET, HEAD\n", onTable);
        assertEquals("GET, HEAD", onTable.header("Allow"));
        assertEquals("GET, HEAD", demo.put("/kv", "").header("Allow"));
        assertAbsent("/kv/kv/a");
    }

    @Test
    void keysArePercentDecodedAsUtf8() throws Exception {
        assertEquals(201, demo.put("/kv/kv/caf%C3%A9%20au%2Flait", "v").status());
        assertValue("/kv/kv/caf%c3%a9%20au/lait", "v");
        assertEquals("[\"café au/lait\"]", demo.get("/kv/kv").text());
        String malformed = demo.raw("GET /kv/kv/a%2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(malformed.startsWith("HTTP/1.1 400 "), malformed);
        assertTrue(malformed.endsWith("\r\n\r\nmalformed percent-encoding in key: % must be followed by two hex digits\n"), malformed);
        assertText(400, "key is not valid UTF-8 after percent-decoding\n", demo.put("/kv/kv/%FF", "v"));
        assertText(400, "empty key: use /kv/{table}/{key}\n", demo.put("/kv/kv/", "v"));
    }

    @Test
    void keyOverTheLimitGives414() throws Exception {
        assertEquals(201, demo.put("/kv/kv/" + "k".repeat(512), "v").status());
        assertText(414, "key exceeds 512 bytes\n", demo.put("/kv/kv/" + "k".repeat(513), "v"));
        assertEquals(1, demo.store.execute(s -> s.listKeys("kv")).size());
    }

    @Test
    void bodyOverTheServerLimitGives413AndStoresNothing() throws Exception {
        String response = demo.raw("PUT /kv/kv/big HTTP/1.1\r\nHost: t\r\nContent-Length: " + (2 * 1024 * 1024 + 1) + "\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 413 "), response);
        assertAbsent("/kv/kv/big");
    }

    @Test
    void itemsOfTheStressTestAreVisibleWithTheirCounter() throws Exception {
        demo.get("/stress-test/5");
        demo.send("POST", "/stress-test/5", "x".getBytes(StandardCharsets.UTF_8));
        Reply reply = demo.get("/kv/items/5");
        assertEquals("x", reply.text());
        assertEquals(tag(1, "x"), reply.header("ETag"));
    }
}
