package io.qrbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qrbench.registry.PluginRegistry;
import io.qrbench.spi.Bound;
import io.qrbench.spi.PluginKind;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every numeric key a suite or spec can set carries a {@link Bound}: a value without an upper bound
 * is a run that fails after minutes (an array too large, a batch out of memory) or never ends.
 * Seeds are bounded by their type, and their Bound only says so.
 */
class EveryNumberHasABoundTest {
  private static final Set<Class<?>> NUMBERS =
      Set.of(
          Integer.class,
          int.class,
          Long.class,
          long.class,
          Double.class,
          double.class,
          Float.class,
          float.class);

  @Test
  void everyPluginsAndEverySpecsNumericKeysAreBounded() throws Exception {
    List<Class<?>> types = new ArrayList<>();
    PluginRegistry registry = PluginRegistry.discover();
    for (PluginKind kind : PluginKind.values()) {
      registry.ids(kind).stream()
          .map(id -> registry.get(kind, id))
          .filter(
              p ->
                  !p.getClass()
                      .getPackageName()
                      .endsWith(".testplugins")) // this module's test fakes
          .forEach(p -> types.add(p.configType()));
    }
    for (String name :
        List.of(
            "io.qrbench.suite.SuiteDocument",
            "io.qrbench.suite.SuiteDocument$ModelDocument",
            "io.qrbench.suite.TrainingDocument",
            "io.qrbench.suite.InRunTraining",
            "io.qrbench.suite.SpeedSpec",
            "io.qrbench.suite.OptimizerSpec",
            "io.qrbench.suite.ScheduleSpec",
            "io.qrbench.suite.AugmentSpec")) {
      types.add(Class.forName(name));
    }
    List<String> unbounded = new ArrayList<>();
    for (Class<?> t : types) {
      for (RecordComponent c : t.getRecordComponents()) {
        boolean numeric =
            NUMBERS.contains(element(c.getGenericType())) || c.getName().equals("delta");
        if (numeric && c.getAnnotation(Bound.class) == null) {
          unbounded.add(t.getName() + "." + c.getName());
        }
      }
    }
    assertEquals(List.of(), unbounded, "numeric keys without a @Bound");
  }

  private static Type element(Type t) {
    return t instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : t;
  }
}
