package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** With spring.datasource.url set, the control plane uses that server, starts no embedded one, and says so. */
@ExtendWith(OutputCaptureExtension.class)
class ExternalDatabaseTest {

    @Test
    void configuredDatasourceIsUsedInsteadOfTheEmbeddedServer(CapturedOutput output) throws Exception {
        try (EmbeddedPostgres external = EmbeddedPostgres.builder().start()) {
            try (Connection c = external.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("create database weft_external");
            }
            // the server trusts local connections, so the password only shows whether the log hides it
            String url = external.getJdbcUrl("postgres", "weft_external") + "&password=hunter2";
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WeftApplication.class)
                    .run(
                            "--server.port=0",
                            "--spring.grpc.server.port=0",
                            "--spring.datasource.url=" + url,
                            "--spring.datasource.username=postgres")) {
                assertThat(context.getBeanNamesForType(EmbeddedPostgresServer.class))
                        .isEmpty();
                assertThat(output.getOut())
                        .contains("Using external PostgreSQL at jdbc:postgresql://localhost:" + external.getPort()
                                + "/weft_external")
                        .contains("password=***")
                        .doesNotContain("hunter2")
                        .doesNotContain("Using embedded PostgreSQL");
                HttpApi api = new HttpApi(
                        ((WebServerApplicationContext) context).getWebServer().getPort());
                assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", "external-shop")))
                                .status())
                        .isEqualTo(201);
            }
            try (Connection c =
                            external.getDatabase("postgres", "weft_external").getConnection();
                    ResultSet rs = c.createStatement().executeQuery("select name from applications")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("external-shop");
            }
        }
    }
}
