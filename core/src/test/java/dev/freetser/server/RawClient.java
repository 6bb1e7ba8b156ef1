package dev.freetser.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A test client that writes raw bytes and reads responses byte by byte, so tests can assert what
 * is on the wire. Every read has a 5 s timeout (TCP) so no test can hang on a silent server.
 */
final class RawClient implements AutoCloseable {
    /** A parsed response plus the exact bytes it came in. */
    record Reply(String statusLine, Map<String, String> headers, String body, String raw) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final AutoCloseable socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(SocketAddress address) throws IOException {
        this(address, 5000);
    }

    RawClient(SocketAddress address, int readTimeoutMillis) throws IOException {
        if (address instanceof UnixDomainSocketAddress) {
            SocketChannel ch = SocketChannel.open(address);
            socket = ch;
            in = Channels.newInputStream(ch);
            out = Channels.newOutputStream(ch);
        } else {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) address).getPort()), 5000);
            s.setSoTimeout(readTimeoutMillis);
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
        }
    }

    RawClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response framed by Content-Length, chunked coding, or (with neither) the close. */
    Reply read() throws IOException {
        return read(false);
    }

    /** Reads one response to HEAD: headers only, whatever they announce. */
    Reply readHead() throws IOException {
        return read(true);
    }

    private Reply read(boolean headOnly) throws IOException {
        StringBuilder raw = new StringBuilder();
        String statusLine = line(raw);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(raw); !l.isEmpty(); l = line(raw)) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headOnly || status == 204 || status == 304 || status / 100 == 1) {
            // no body
        } else if (headers.containsKey("content-length")) {
            int n = Integer.parseInt(headers.get("content-length"));
            body.write(in.readNBytes(n));
        } else if ("chunked".equals(headers.get("transfer-encoding"))) {
            while (true) {
                String size = line(raw);
                int n = Integer.parseInt(size, 16);
                if (n == 0) {
                    line(raw);
                    break;
                }
                body.write(in.readNBytes(n));
                line(raw);
            }
        } else {
            body.write(in.readAllBytes());
        }
        String text = body.toString(StandardCharsets.UTF_8);
        raw.append(text);
        return new Reply(statusLine, headers, text, raw.toString());
    }

    /** Everything until the server closes the connection. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Closes the sending side (FIN): the server reads end-of-stream, and replies can still be read. */
    void shutdownOutput() throws IOException {
        if (socket instanceof Socket s) {
            s.shutdownOutput();
        } else {
            ((SocketChannel) socket).shutdownOutput();
        }
    }

    /** Closes with a reset (RST) instead of a FIN, so the server's next read fails. TCP only. */
    void reset() throws IOException {
        Socket s = (Socket) socket;
        s.setSoLinger(true, 0);
        s.close();
    }

    /** True when the server closed the connection (EOF) with no more bytes. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true; // connection reset: closed too
        }
    }

    private String line(StringBuilder raw) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            raw.append((char) c);
            if (c == '\n') {
                if (sb.isEmpty() || sb.charAt(sb.length() - 1) != '\r') {
                    throw new IOException("bare LF in response: " + sb);
                }
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) c);
        }
        throw new IOException("connection closed mid-line after: " + raw);
    }

    @Override
    public void close() throws Exception {
        socket.close();
    }
}
