package io.tollgate.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP client speaking just enough HTTP/1.1 by hand to misbehave: send half a request,
 * stall, and see when the server hangs up. Every read has a deadline.
 */
final class RawClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;

  RawClient(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawClient send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one response with a Content-Length body; returns status line, headers and body. */
  String readResponse(long deadlineMs) {
    String head = readUntil("\r\n\r\n", deadlineMs);
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return head + new String(readBytes(length, deadlineMs), StandardCharsets.UTF_8);
  }

  /** Reads until {@code marker} has been seen; fails if the connection ends first or time runs out. */
  String readUntil(String marker, long deadlineMs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (!out.toString(StandardCharsets.ISO_8859_1).endsWith(marker)) {
      int b = readByte(deadlineMs);
      if (b < 0) {
        throw new AssertionError("connection closed before '" + marker.strip() + "'; got: " + out);
      }
      out.write(b);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private byte[] readBytes(int n, long deadlineMs) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      int b = readByte(deadlineMs);
      if (b < 0) {
        throw new AssertionError("connection closed mid-body");
      }
      bytes[i] = (byte) b;
    }
    return bytes;
  }

  /**
   * Waits for the server to close the connection, reading (and discarding) anything it still
   * sends; returns how long that took in ms, or fails when it stays open past {@code deadlineMs}.
   */
  long awaitClosed(long deadlineMs) {
    long t0 = System.nanoTime();
    while (true) {
      int b;
      try {
        b = readByte(deadlineMs);
      } catch (UncheckedIOException reset) {
        b = -1;
      }
      if (b < 0) {
        return (System.nanoTime() - t0) / 1_000_000;
      }
    }
  }

  private int readByte(long deadlineMs) {
    try {
      socket.setSoTimeout((int) deadlineMs);
      return in.read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server neither answered nor closed within " + deadlineMs + " ms");
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a test socket: nothing to do
    }
  }
}
