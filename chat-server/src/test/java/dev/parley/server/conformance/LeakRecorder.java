package dev.parley.server.conformance;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * A logback appender on Netty's leak detector logger that keeps every leak it reports (Netty logs
 * a leak at ERROR, once per distinct access record). Attached programmatically, once per JVM, so
 * that no logging configuration has to know about it: {@link #installed()} finds it or adds it.
 * Thread-safe: the detector reports from whichever thread allocates next.
 */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
  /** The logger Netty's {@link ResourceLeakDetector} reports to. */
  static final String LEAK_LOGGER = ResourceLeakDetector.class.getName();
  private static final String NAME = "parley-leak-recorder";

  private final List<String> leaks = new ArrayList<>();

  private LeakRecorder() {
  }

  /** The recorder attached to the leak detector's logger, attaching one first if there is none. */
  public static LeakRecorder installed() {
    Logger logger = (Logger) LoggerFactory.getLogger(LEAK_LOGGER);
    synchronized (logger) {
      if (logger.getAppender(NAME) instanceof LeakRecorder existing) {
        return existing;
      }
      LeakRecorder recorder = new LeakRecorder();
      recorder.setName(NAME);
      recorder.setContext(logger.getLoggerContext());
      recorder.start();
      if (logger.getLevel() == null || !logger.isEnabledFor(Level.ERROR)) {
        logger.setLevel(Level.ERROR);
      }
      logger.addAppender(recorder);
      return recorder;
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      synchronized (leaks) {
        leaks.add(event.getFormattedMessage());
      }
    }
  }

  /** Removes and returns every leak recorded so far. */
  public List<String> drain() {
    synchronized (leaks) {
      List<String> all = List.copyOf(leaks);
      leaks.clear();
      return all;
    }
  }

  /** Removes and returns the recorded leaks whose report contains {@code text}; keeps the others. */
  public List<String> drainMatching(String text) {
    List<String> matching = new ArrayList<>();
    synchronized (leaks) {
      for (Iterator<String> it = leaks.iterator(); it.hasNext(); ) {
        String leak = it.next();
        if (leak.contains(text)) {
          matching.add(leak);
          it.remove();
        }
      }
    }
    return matching;
  }

  /** True when a recorded leak's report contains {@code text}. */
  public boolean contains(String text) {
    synchronized (leaks) {
      return leaks.stream().anyMatch(l -> l.contains(text));
    }
  }
}
