package io.qrbench.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qrbench.PluginException;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.testing.FakePlugins;
import io.qrbench.testing.TinyDataset;
import io.qrbench.testing.TinyLinearModel;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

  @Test
  void discoversPluginsListedInServiceFiles(@TempDir Path dir) throws Exception {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(
        services.resolve(Perturbation.class.getName()),
        "# comment lines are allowed\n"
            + FakePlugins.SaltAndPepper.class.getName()
            + "\n"
            + FakePlugins.Clean.class.getName()
            + "\n");
    Files.writeString(
        services.resolve(io.qrbench.spi.DatasetProvider.class.getName()),
        TinyDataset.class.getName() + "\n");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      PluginRegistry r = PluginRegistry.discover(loader);
      assertEquals(List.of("none", "salt-and-pepper"), r.ids(PluginKind.PERTURBATION));
      assertEquals(List.of("tiny"), r.ids(PluginKind.DATASET));
      assertInstanceOf(
          FakePlugins.SaltAndPepper.class, r.get(PluginKind.PERTURBATION, "salt-and-pepper"));
      assertEquals(List.of(), r.ids(PluginKind.MODEL), "nothing listed, nothing found");
    }
  }

  @Test
  void aBrokenServiceEntryNamesTheProblem(@TempDir Path dir) throws Exception {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(Perturbation.class.getName()), "com.example.Missing\n");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      PluginException e =
          assertThrows(PluginException.class, () -> PluginRegistry.discover(loader));
      assertTrue(
          e.getMessage().contains("perturbation") && e.getMessage().contains("com.example.Missing"),
          e.getMessage());
    }
  }

  @Test
  void duplicateIdsNameBothClasses() {
    Plugin<?> a = new FakePlugins.Clean();
    Plugin<?> b = new OtherNone();
    PluginException e =
        assertThrows(
            PluginException.class,
            () -> PluginRegistry.of(Map.of(PluginKind.PERTURBATION, List.of(a, b))));
    assertTrue(
        e.getMessage().contains("two perturbation plugins claim the id 'none'"), e.getMessage());
    assertTrue(e.getMessage().contains(FakePlugins.Clean.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains(OtherNone.class.getName()), e.getMessage());
  }

  @Test
  void sameIdInDifferentKindsIsFine() {
    PluginRegistry r =
        PluginRegistry.of(
            Map.of(
                PluginKind.MODEL, List.of(new TinyLinearModel()),
                PluginKind.PERTURBATION, List.of(new RenamedClean("tiny-linear"))));
    assertEquals(List.of("tiny-linear"), r.ids(PluginKind.MODEL));
    assertEquals(List.of("tiny-linear"), r.ids(PluginKind.PERTURBATION));
  }

  @Test
  void idsMustBeKebabCase() {
    for (String bad : List.of("SaltPepper", "salt_pepper", "-salt", "salt-", "", "salt  pepper")) {
      PluginException e =
          assertThrows(
              PluginException.class,
              () ->
                  PluginRegistry.of(
                      Map.of(PluginKind.PERTURBATION, List.of(new RenamedClean(bad)))),
              bad);
      assertTrue(e.getMessage().contains("kebab-case"), e.getMessage());
    }
  }

  @Test
  void pluginListedUnderTheWrongKindIsRejected() {
    PluginException e =
        assertThrows(
            PluginException.class,
            () -> PluginRegistry.of(Map.of(PluginKind.MODEL, List.of(new FakePlugins.Clean()))));
    assertTrue(
        e.getMessage().contains("does not implement io.qrbench.spi.ModelProvider"), e.getMessage());
  }

  @Test
  void unknownIdListsKnownIdsAndClosestMatch() {
    PluginRegistry r = FakePlugins.registry();
    UnknownPluginException e =
        assertThrows(
            UnknownPluginException.class, () -> r.get(PluginKind.PERTURBATION, "salt-pepper"));
    assertEquals(Optional.of("salt-and-pepper"), e.suggestion());
    assertEquals(
        "unknown perturbation 'salt-pepper'; did you mean 'salt-and-pepper'? "
            + "(known perturbations: explode, gradient-sign, none, salt-and-pepper, sweepable)",
        e.getMessage());
  }

  @Test
  void unknownIdFarFromEverythingSuggestsNothing() {
    UnknownPluginException e =
        assertThrows(
            UnknownPluginException.class,
            () -> FakePlugins.registry().get(PluginKind.QUANTIZER, "wavelet-transform"));
    assertEquals(Optional.empty(), e.suggestion());
    assertTrue(e.getMessage().contains("known quantizers: fp32"), e.getMessage());
  }

  @Test
  void suggestionsPreferTheNearestName() {
    List<String> ids = List.of("gaussian", "poisson", "salt-and-pepper", "speckle", "fgsm", "pgd");
    assertEquals(Optional.of("gaussian"), Suggestions.closest("gausian", ids));
    assertEquals(Optional.of("speckle"), Suggestions.closest("speckel", ids));
    assertEquals(Optional.of("pgd"), Suggestions.closest("PGD", ids));
    assertEquals(Optional.of("salt-and-pepper"), Suggestions.closest("salt", ids), "prefix");
    assertEquals(Optional.empty(), Suggestions.closest("transformer", ids));
    assertEquals(3, Suggestions.distance("kitten", "sitting"));
    assertEquals(1, Suggestions.distance("tnw", "twn"), "a swap of neighbours is one edit");
    assertEquals(
        Optional.of("twn"),
        Suggestions.closest("tnw", List.of("binary", "fp32", "ttq", "twn", "uniform")));
  }

  /** A second class claiming the id {@code none}. */
  public static final class OtherNone extends RenamedCleanBase {
    public OtherNone() {
      super("none");
    }
  }

  /** A clean perturbation under any id. */
  public static final class RenamedClean extends RenamedCleanBase {
    RenamedClean(String id) {
      super(id);
    }
  }

  abstract static class RenamedCleanBase implements Perturbation<io.qrbench.spi.EmptyConfig> {
    private final String id;

    RenamedCleanBase(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String description() {
      return "clean";
    }

    @Override
    public Class<io.qrbench.spi.EmptyConfig> configType() {
      return io.qrbench.spi.EmptyConfig.class;
    }

    @Override
    public ai.djl.ndarray.NDArray apply(
        io.qrbench.spi.EmptyConfig c, io.qrbench.spi.PerturbationContext ctx) {
      return ctx.images();
    }
  }
}
