package dev.freetser.http;

/** A body of a declared length (RFC 9112 6.2): the next that many bytes. */
final class ContentLengthReader implements BodyReader {
    private long remaining;

    ContentLengthReader(long length) {
        this.remaining = length;
    }

    @Override
    public Next read(ReceiveBuffer in, boolean eof) {
        if (remaining == 0) {
            return EndOfMessage.EMPTY;
        }
        if (in.isEmpty()) {
            if (eof) {
                throw BodyReader.incomplete();
            }
            return Signal.NEED_DATA;
        }
        int n = (int) Math.min(remaining, in.size());
        remaining -= n;
        return new BodyData(in.take(n));
    }
}
