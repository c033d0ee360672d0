package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The default embedded database keeps its data directory, so a restarted control plane finds its
 * versions, and the log says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersistenceAcrossRestartTest {

    @TempDir
    Path dataDirectory;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(WeftApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.grpc.server.port=0",
                        "--weft.database.embedded.data-directory=" + dataDirectory,
                        "--weft.database.embedded.clean=false");
    }

    private static HttpApi api(ConfigurableApplicationContext context) {
        return new HttpApi(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void startupLogSaysTheEmbeddedDatabaseIsUsedAndWhereItsDataLives(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start()) {
            int port = context.getBean(EmbeddedPostgresServer.class).getPort();
            assertThat(output.getOut())
                    .contains("Using embedded PostgreSQL on 127.0.0.1:" + port + " with data in "
                            + dataDirectory.toAbsolutePath()
                            + " (set spring.datasource.url to use an external server)");
            assertThat(output.getOut()).doesNotContain("Using external PostgreSQL");
        }
    }

    @Test
    void versionRegisteredBeforeARestartIsStillThereAfterIt() throws IOException {
        String spec = Files.readString(Path.of("..", "examples", "specs", "online-shop.json"));
        String hash;
        try (ConfigurableApplicationContext first = start()) {
            HttpApi api = api(first);
            assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", "shop")))
                            .status())
                    .isEqualTo(201);
            assertThat(api.post("/api/v1/applications/shop/versions", spec).status())
                    .isEqualTo(201);
            hash = api.get("/api/v1/applications/shop/versions/v1")
                    .json()
                    .get("specHash")
                    .asString();
        }
        assertThat(dataDirectory.resolve("PG_VERSION")).exists();

        try (ConfigurableApplicationContext second = start()) {
            HttpApi api = api(second);
            HttpApi.Response version = api.get("/api/v1/applications/shop/versions/v1");
            assertThat(version.status()).isEqualTo(200);
            assertThat(version.json().get("specHash").asString()).isEqualTo(hash);
            assertThat(version.json().get("components")).hasSize(11);
            // Registering it again after the restart is still idempotent.
            assertThat(api.post("/api/v1/applications/shop/versions", spec).status())
                    .isEqualTo(200);
        }
    }
}
