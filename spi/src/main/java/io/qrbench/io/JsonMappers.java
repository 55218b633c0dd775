package io.qrbench.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one place qrbench configures Jackson for JSON it writes and reads as data: results.json,
 * Allure's result files, JMH's result files. One configuration means a field is spelt, indented and
 * tolerated the same way by every writer and reader.
 *
 * <p>Suites are bound by their own, strict mapper (unknown keys are errors there, with their line
 * and column); this one is for data files, where a newer qrbench may add a field an older reader
 * ignores.
 */
public final class JsonMappers {
  private static final JsonMapper DATA = builder().build();

  private JsonMappers() {}

  /**
   * The shared mapper for data files: indented output (people diff results.json), unknown
   * properties ignored on reading. Thread-safe; do not reconfigure it.
   */
  public static ObjectMapper data() {
    return DATA;
  }

  /**
   * A builder with the data configuration, for a caller that must add to it (a module, a feature).
   */
  public static JsonMapper.Builder builder() {
    return JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
