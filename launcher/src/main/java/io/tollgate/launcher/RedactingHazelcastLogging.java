package io.tollgate.launcher;

import com.hazelcast.logging.AbstractLogger;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.LogEvent;
import com.hazelcast.logging.LoggerFactory;
import com.hazelcast.logging.Slf4jFactory;
import java.util.logging.Level;
import java.util.regex.Pattern;

/**
 * Hazelcast's SLF4J logging with the keyed part of the cluster name masked. Hazelcast starts every
 * log line with the cluster name, and with a cluster secret that name is what a node presents to
 * join ({@link ClusterSecurity#clusterName}): logs are read by more people than the secret is.
 * Installed through the {@code hazelcast.logging.class} system property, which Hazelcast reads
 * when each instance starts; stateless, so every node in a JVM can share it.
 */
public final class RedactingHazelcastLogging implements LoggerFactory {

  static final String PROPERTY = "hazelcast.logging.class";
  private static final Pattern KEYED_NAME = Pattern.compile("-[0-9a-f]{64}");
  private final Slf4jFactory slf4j = new Slf4jFactory();

  /** Makes Hazelcast instances created from now on log through this class, unless an operator chose another. */
  static void install() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, RedactingHazelcastLogging.class.getName());
    }
  }

  static String redact(String message) {
    return message == null ? null : KEYED_NAME.matcher(message).replaceAll("-<keyed>");
  }

  @Override
  public ILogger getLogger(String name) {
    return new Redacting(slf4j.getLogger(name));
  }

  private static final class Redacting extends AbstractLogger {

    private final ILogger delegate;

    Redacting(ILogger delegate) {
      this.delegate = delegate;
    }

    @Override
    public void log(Level level, String message) {
      delegate.log(level, redact(message));
    }

    @Override
    public void log(Level level, String message, Throwable thrown) {
      delegate.log(level, redact(message), thrown);
    }

    @Override
    public void log(LogEvent event) {
      event.getLogRecord().setMessage(redact(event.getLogRecord().getMessage()));
      delegate.log(event);
    }

    @Override
    public Level getLevel() {
      return delegate.getLevel();
    }

    @Override
    public boolean isLoggable(Level level) {
      return delegate.isLoggable(level);
    }
  }
}
