package io.qrbench.perturbations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.qrbench.registry.PluginRegistry;
import io.qrbench.spi.Perturbation;
import io.qrbench.spi.Plugin;
import io.qrbench.spi.PluginKind;
import io.qrbench.suite.ConfigKeys;
import io.qrbench.suite.PluginConfig;
import io.qrbench.suite.PluginConfigs;
import io.qrbench.suite.SuiteException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every random noise promises: determinism, batch independence, [0,1], 8-bit rounding, keys.
 */
class NoiseContractTest {
  private NoiseFixture fx;

  @BeforeEach
  void open() {
    fx = new NoiseFixture();
  }

  @AfterEach
  void close() {
    fx.close();
  }

  /**
   * One noise, strong enough to push values past 0 and 1.
   *
   * @param plain its configuration
   * @param quantized the same with quantize-to-uint8
   */
  record Case(Perturbation<Record> noise, Record plain, Record quantized) {
    @Override
    public String toString() {
      return noise.id();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Case of(Perturbation<?> noise, Record plain, Record quantized) {
    return new Case((Perturbation) noise, plain, quantized);
  }

  static Stream<Case> noises() {
    return Stream.of(
        of(
            new GaussianNoise(),
            new NormalNoiseConfig(null, 0.05, null, null),
            new NormalNoiseConfig(null, 0.05, null, true)),
        of(
            new SpeckleNoise(),
            new NormalNoiseConfig(null, 0.5, null, null),
            new NormalNoiseConfig(null, 0.5, null, true)),
        of(
            new PoissonNoise(),
            new PoissonNoise.Config(null, null, null),
            new PoissonNoise.Config(null, null, true)),
        of(
            new SaltAndPepperNoise(),
            new SaltAndPepperNoise.Config(0.2, null, null, null),
            new SaltAndPepperNoise.Config(0.2, null, null, true)));
  }

  @ParameterizedTest
  @MethodSource("noises")
  void sameSeedSameNoiseAndImagesAreIndependentOfTheBatch(Case c) {
    float[] batch = NoiseFixture.apply(c.noise(), c.plain(), fx.random8Bit(4, 10), 10, 7);
    float[] single = NoiseFixture.apply(c.noise(), c.plain(), fx.random8Bit(1, 12), 12, 7);
    int per = NoiseFixture.PER;
    assertArrayEquals(
        single, Arrays.copyOfRange(batch, 2 * per, 3 * per), "image 12 alone and in a batch");
    assertArrayEquals(
        batch,
        NoiseFixture.apply(c.noise(), c.plain(), fx.random8Bit(4, 10), 10, 7),
        "same seed, same noise");
    assertFalse(
        Arrays.equals(batch, NoiseFixture.apply(c.noise(), c.plain(), fx.random8Bit(4, 10), 10, 8)),
        "another seed, other noise");
  }

  @ParameterizedTest
  @MethodSource("noises")
  void outputIsFloat32OfTheSameShapeInTheUnitInterval(Case c) {
    NDArray x = fx.random8Bit(3, 0);
    NDArray y = c.noise().apply(c.plain(), io.qrbench.testing.SimpleContext.of(x, 0, 1));
    assertEquals(x.getShape(), y.getShape());
    assertEquals(x.getDataType(), y.getDataType());
    float[] v = y.toFloatArray();
    long ends = 0;
    for (float f : v) {
      assertTrue(f >= 0f && f <= 1f, "in [0,1]: " + f);
      ends += f == 0f || f == 1f ? 1 : 0;
    }
    assertTrue(ends > v.length / 100, "the noise reaches 0 or 1 and is clipped there");
  }

  @ParameterizedTest
  @MethodSource("noises")
  void quantizedOutputIsAMultipleOf1Over255(Case c) {
    NDArray x = fx.random8Bit(3, 0);
    float[] plain = NoiseFixture.apply(c.noise(), c.plain(), x, 0, 3);
    float[] quantized = NoiseFixture.apply(c.noise(), c.quantized(), x, 0, 3);
    long offGrid = 0;
    for (int j = 0; j < plain.length; j++) {
      int k = (int) Math.rint(plain[j] * 255.0); // the same draws, rounded
      assertEquals(k / 255f, quantized[j], "value " + j + " of " + plain[j]);
      offGrid += plain[j] != k / 255f ? 1 : 0;
    }
    if (!c.noise().id().equals("salt-and-pepper")) { // s&p keeps values on the grid anyway
      assertTrue(offGrid > plain.length / 2, "without the option, values are off the 8-bit grid");
    }
  }

  @Test
  void roundingIsHalfToEvenAndHalfUpAlike() {
    // v * 255 is exact in double for a float v, and its only exact tie in [0,1] is 0.5 (127.5):
    // rint and half-up both give 128, so the two rules cannot differ on float32 inputs
    NDArray x = fx.constant(1, 0.5f);
    float[] v =
        NoiseFixture.apply(
            new GaussianNoise(), new NormalNoiseConfig(0.0, 0.0, null, true), x, 0, 1);
    assertEquals(128 / 255f, v[0]);
  }

  @Test
  void keysAreKebabCaseWithDescriptions() {
    assertKeys(NormalNoiseConfig.class, "mean", "var", "severity", "quantize-to-uint8");
    assertKeys(NormalNoiseConfig.class, "mean", "var", "severity", "quantize-to-uint8");
    assertKeys(PoissonNoise.Config.class, "scale", "severity", "quantize-to-uint8");
    assertKeys(
        SaltAndPepperNoise.Config.class,
        "amount",
        "salt-vs-pepper",
        "severity",
        "quantize-to-uint8");
  }

  private static void assertKeys(Class<? extends Record> type, String... names) {
    List<ConfigKeys.Key> keys = ConfigKeys.of(type);
    assertEquals(List.of(names), keys.stream().map(ConfigKeys.Key::name).toList());
    keys.forEach(k -> assertFalse(k.description().isEmpty(), k.name() + " has a description"));
  }

  private static PluginRegistry registry() {
    List<Plugin<?>> noises =
        List.of(
            new GaussianNoise(), new SpeckleNoise(), new PoissonNoise(), new SaltAndPepperNoise());
    return PluginRegistry.of(Map.of(PluginKind.PERTURBATION, noises));
  }

  @Test
  void suiteValuesBindThroughJackson() {
    PluginConfig p =
        PluginConfigs.parse(
            registry(),
            PluginKind.PERTURBATION,
            "{id: salt-and-pepper, salt-vs-pepper: 0.3, quantize-to-uint8: true}",
            "test");
    assertEquals(new SaltAndPepperNoise.Config(0.05, 0.3, null, true), p.config());
    p =
        PluginConfigs.parse(
            registry(), PluginKind.PERTURBATION, "{id: poisson, severity: 3}", "test");
    assertEquals(new PoissonNoise.Config(null, 3, false), p.config());
  }

  @Test
  void severityWithVarInASuiteIsAClearError() {
    SuiteException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SuiteException.class,
            () ->
                PluginConfigs.parse(
                    registry(),
                    PluginKind.PERTURBATION,
                    "{id: gaussian, severity: 2, var: 0.1}",
                    "test"));
    assertTrue(
        e.getMessage()
            .contains(
                "severity selects the CIFAR-10-C constants of this noise and cannot be"
                    + " combined with var"),
        e.getMessage());
  }

  @Test
  void noisesAreRegistered() throws IOException {
    String services;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/services/io.qrbench.spi.Perturbation")) {
      services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> lines = services.lines().map(String::trim).toList();
    for (Class<?> c :
        List.of(
            NoPerturbation.class,
            GaussianNoise.class,
            PoissonNoise.class,
            SaltAndPepperNoise.class,
            SpeckleNoise.class)) {
      assertTrue(lines.contains(c.getName()), c.getName() + " is listed");
    }
    assertEquals(
        List.of("gaussian", "poisson", "salt-and-pepper", "speckle"),
        registry().ids(PluginKind.PERTURBATION));
  }
}
