/**
 * The {@code webdav} storage over the JDK's HTTP client: a streamed (chunked) PUT to a temp name
 * fed through a bounded pipe, a MOVE to the final name, then a PROPFIND to check the size.
 * PROPFIND answers are read with the JDK's StAX parser. Every call blocks: run it on a worker.
 * Never puts the password into a message, a log line or {@code toString()}.
 */
package gateway.backup.storage.webdav;
