package io.qrbench.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The range a numeric configuration key accepts, checked when a suite or spec is validated, before
 * the record is built: a value outside it is reported at its own line and column with the range and
 * {@link #why()}. On a list-valued component it bounds every element; on a component of type {@code
 * Object} it applies when the value is a number. Integer components are also held to their Java
 * type's range. Every numeric key should carry one: a value without an upper bound is a run that
 * fails after minutes, or never ends.
 *
 * <pre>{@code
 * record Config(@Bound(min = 1, max = 100_000, why = "each step is a forward and a backward pass") Integer steps) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Bound {
  /** The smallest value accepted. */
  double min() default Double.NEGATIVE_INFINITY;

  /** The largest value accepted. */
  double max() default Double.POSITIVE_INFINITY;

  /** Whether {@link #min()} itself is refused: the range is (min, max]. */
  boolean minExclusive() default false;

  /** Whether {@link #max()} itself is refused: the range is [min, max). */
  boolean maxExclusive() default false;

  /** Why the range is what it is, or what a good value is; shown as the fix. */
  String why() default "";

  /**
   * On a component of type {@code Object}: the words it accepts instead of a number, such as {@code
   * {"optimal"}}. {@code qrbench list-plugins} shows them beside the range ({@code number in (0,
   * 10] | optimal}) and a suite giving another word is told the closest one before the record is
   * built. Since SPI 1.2.
   */
  String[] words() default {};
}
