package dev.weft.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Registers the {@link WeftComponents} post-processor. */
@AutoConfiguration
public class WeftAutoConfiguration {

    @Bean
    static WeftComponents weftComponents(Environment environment) {
        return new WeftComponents(environment);
    }
}
