/** freetser: a small thread-per-connection HTTP/1.1 server with a built-in SQLite key-value store. */
module dev.freetser {
    requires java.net.http;
    requires java.sql;
    requires jdk.net;
    requires java.logging;
    requires org.xerial.sqlitejdbc;
    requires tools.jackson.jr.ob;

    exports dev.freetser;
    exports dev.freetser.storage;
}
