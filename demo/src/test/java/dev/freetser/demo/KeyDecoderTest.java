package dev.freetser.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freetser.HttpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyDecoderTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            plain          | plain
            a%20b          | a b
            a+b            | a+b
            caf%C3%A9      | café
            caf%c3%a9      | café
            a/b/c          | a/b/c
            a%2Fb          | a/b
            %F0%9F%98%80   | 😀
            %25            | %
            """)
    void escapesAreDecodedAsUtf8(String raw, String key) {
        assertEquals(key, KeyDecoder.decode(raw));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            %               | malformed percent-encoding in key: % must be followed by two hex digits
            a%4             | malformed percent-encoding in key: % must be followed by two hex digits
            %G0             | malformed percent-encoding in key: % must be followed by two hex digits
            %٣٣             | malformed percent-encoding in key: % must be followed by two hex digits
            %FF             | key is not valid UTF-8 after percent-decoding
            %C0%AF          | key is not valid UTF-8 after percent-decoding
            %ED%A0%80       | key is not valid UTF-8 after percent-decoding
            a%00b           | key contains a control character
            a%0Ab           | key contains a control character
            %7F             | key contains a control character
            """)
    void badKeysGive400(String raw, String message) {
        HttpException e = assertThrows(HttpException.class, () -> KeyDecoder.decode(raw));
        assertEquals(400, e.status());
        assertEquals(message, e.getMessage());
    }

    @Test
    void emptyKeyGives400() {
        HttpException e = assertThrows(HttpException.class, () -> KeyDecoder.decode(""));
        assertEquals(400, e.status());
        assertEquals("empty key: use /kv/{table}/{key}", e.getMessage());
    }

    @Test
    void keyLengthIsCountedInDecodedBytes() {
        assertEquals("é".repeat(256), KeyDecoder.decode("%C3%A9".repeat(256)));
        HttpException e = assertThrows(HttpException.class, () -> KeyDecoder.decode("%C3%A9".repeat(256) + "x"));
        assertEquals(414, e.status());
        assertEquals("key exceeds 512 bytes", e.getMessage());
        assertEquals(512, KeyDecoder.decode("k".repeat(512)).length());
    }
}
