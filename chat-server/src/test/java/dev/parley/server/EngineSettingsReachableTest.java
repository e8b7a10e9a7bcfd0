package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.parley.core.EngineConfig;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@link EngineConfig} setting can be given to the server: a setter of the same name (or
 * the alias below) on {@link ServerConfig.Builder} whose value arrives in the engine's config,
 * and each default of the server's builder is the engine's own.
 */
class EngineSettingsReachableTest {
  /** EngineConfig name to ServerConfig name, where the server's public API says it shorter. */
  private static final Map<String, String> ALIASES = Map.of("bodyLimitBytes", "bodyLimit");

  @Test
  void everyEngineSettingIsReachableFromServerConfig() throws Exception {
    EngineConfig defaults = EngineConfig.defaults();
    for (RecordComponent c : EngineConfig.class.getRecordComponents()) {
      String name = ALIASES.getOrDefault(c.getName(), c.getName());
      Method setter;
      try {
        setter = ServerConfig.Builder.class.getMethod(name, c.getType());
      } catch (NoSuchMethodException e) {
        fail("ServerConfig.Builder has no %s(%s) for EngineConfig.%s", name,
            c.getType().getSimpleName(), c.getName());
        return;
      }
      Object changed = changed(c.getAccessor().invoke(defaults));
      ServerConfig.Builder b = ServerConfig.builder();
      setter.invoke(b, changed);
      EngineConfig engine = b.build().engineConfig();
      assertThat(c.getAccessor().invoke(engine))
          .as("ServerConfig.Builder.%s reaches EngineConfig.%s", name, c.getName())
          .isEqualTo(changed);
    }
  }

  @Test
  void serverDefaultsAreTheEngines() throws Exception {
    EngineConfig defaults = EngineConfig.defaults();
    EngineConfig server = ServerConfig.builder().nodeId(defaults.nodeId()).build().engineConfig();
    assertThat(server).isEqualTo(defaults);
  }

  /** A valid value other than the default. */
  private static Object changed(Object v) {
    if (v instanceof Integer i) {
      return i + 1;
    } else if (v instanceof Long l) {
      return l + 1;
    } else if (v instanceof Double d) {
      return d + 1;
    } else if (v instanceof Duration d) {
      return d.plusSeconds(1);
    } else if (v instanceof String s) {
      return s + "-changed";
    }
    throw new AssertionError("no changed value for a " + v.getClass() + ": extend this test");
  }
}
