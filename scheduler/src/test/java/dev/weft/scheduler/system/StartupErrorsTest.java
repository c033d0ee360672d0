package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.WeftApplication;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/** A start-up failure a user can fix says what it is and what to do, in a sentence each, without a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupErrorsTest {

    @TempDir
    Path data;

    @Test
    void aBusyGrpcPortIsNamedWithTheKeyThatChangesIt(CapturedOutput output) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> new SpringApplicationBuilder(WeftApplication.class)
                            .run(
                                    "--server.port=0",
                                    "--spring.grpc.server.port=" + port,
                                    "--weft.database.embedded.data-directory=" + data,
                                    "--weft.database.embedded.clean=true"))
                    .isNotNull();
            assertThat(output.getOut() + output.getErr())
                    .contains("APPLICATION FAILED TO START")
                    .contains("Weft's gRPC server (the agent protocol) could not listen on port " + port)
                    .contains("spring.grpc.server.port");
        }
    }

    @Test
    void anEmbeddedDatabaseProblemIsOneDescriptionAndOneAction() {
        EmbeddedDatabaseException cause = new EmbeddedDatabaseException("The directory is in use", "Stop that server");
        FailureAnalysis analysis = new StartupFailureAnalyzers.EmbeddedDatabase()
                .analyze(new BeanCreationException("embeddedPostgres", "failed", cause));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("The directory is in use");
        assertThat(analysis.getAction()).isEqualTo("Stop that server");
    }

    @Test
    void aBindFailureElsewhereIsLeftToSpring() {
        var analyzer = new StartupFailureAnalyzers.GrpcPortInUse(new MockEnvironment());
        assertThat(analyzer.analyze(new IllegalStateException("no bind here"))).isNull();
    }
}
