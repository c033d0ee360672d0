package dev.weft.agent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A component method that may safely run more than once for one call: a remote call of it that failed or timed
 * out on one replica is retried on another. Calls of other methods are retried only when the replica refused
 * them before running them (it was draining or gone).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {}
