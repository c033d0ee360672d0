package dev.weft.scheduler.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Title and description of the OpenAPI document served at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI weftOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Weft control plane API")
                .version("v1")
                .description("""
                        Register applications and their immutable versions, watch agents and load, and follow plans \
                        and rollouts. Every error is an RFC 9457 problem (application/problem+json) whose `type` is \
                        https://weft.dev/problems/{code-in-kebab-case}, with a `code` member and an `errors` array \
                        naming each offending field by its JSON path.""")
                .license(new License().name("Apache-2.0")));
    }
}
