package dev.weft.agent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as a Weft component: the unit the control plane places. Its name is the component name
 * in the version spec and on the wire (a DNS label); by default the interface's simple name in kebab case
 * ({@code ProductCatalog} is {@code product-catalog}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WeftComponent {

    /** The component's name; empty means the interface's simple name in kebab case. */
    String value() default "";
}
