package dev.parley.server.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Records every log event of the JVM while open: a logback {@link ListAppender} on the root logger,
 * with our own code, Netty and the pool turned up to DEBUG so that what an operator could switch
 * on is checked too. The console only shows INFO and above meanwhile. Restores everything on close.
 */
final class LogCapture implements AutoCloseable {
  private static final String[] LOUD = {Logger.ROOT_LOGGER_NAME, "dev.parley", "io.netty", "com.zaxxer"};

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Map<String, Level> levels = new HashMap<>();
  private final List<Appender<ILoggingEvent>> quietened = new ArrayList<>();

  LogCapture() {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> a = it.next();
      a.addFilter(new Filter<>() {
        @Override
        public FilterReply decide(ILoggingEvent event) {
          return event.getLevel().isGreaterOrEqual(Level.INFO) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
      });
      quietened.add(a);
    }
    for (String name : LOUD) {
      Logger l = context.getLogger(name);
      levels.put(name, l.getLevel());
      l.setLevel(Level.DEBUG);
    }
    appender.setContext(context);
    appender.setName("log-capture");
    appender.start();
    root.addAppender(appender);
  }

  /** Every line logged so far: the formatted message, then each throwable's class, message and frames. */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      out.add(e.getLevel() + " " + e.getLoggerName() + " [" + e.getThreadName() + "] "
          + e.getFormattedMessage() + " " + e.getMDCPropertyMap());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        out.add(t.getClassName() + ": " + t.getMessage());
        for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
          out.add(frame.getSTEAsString());
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAppender(appender);
    appender.stop();
    for (Map.Entry<String, Level> e : levels.entrySet()) {
      context.getLogger(e.getKey()).setLevel(e.getValue());
    }
    for (Appender<ILoggingEvent> a : quietened) {
      a.clearAllFilters(); // the test configuration's appenders have no filters of their own
    }
  }
}
