package dev.weft.scheduler.system;

import java.net.BindException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/** Start-up failures a user can fix, told in one description and one action instead of a stack trace. */
final class StartupFailureAnalyzers {

    private StartupFailureAnalyzers() {}

    /** The embedded database could not start: another control plane, or a server Weft did not start, has it. */
    static final class EmbeddedDatabase extends AbstractFailureAnalyzer<EmbeddedDatabaseException> {
        @Override
        protected FailureAnalysis analyze(Throwable root, EmbeddedDatabaseException cause) {
            return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
        }
    }

    /** The gRPC server could not bind its port (Spring already says the same for the HTTP port). */
    static final class GrpcPortInUse implements FailureAnalyzer {

        private final Environment environment;

        GrpcPortInUse(Environment environment) {
            this.environment = environment;
        }

        @Override
        public @Nullable FailureAnalysis analyze(Throwable failure) {
            boolean grpc = false;
            Throwable bind = null;
            for (Throwable t = failure; t != null; t = t.getCause()) {
                String message = String.valueOf(t.getMessage());
                // java.net.BindException, or Netty's native "bind(..) failed ... Address already in use"
                if (t instanceof BindException || message.contains("Address already in use")) {
                    bind = t;
                }
                String text = t.getClass().getName() + " " + t.getMessage();
                for (StackTraceElement frame : t.getStackTrace()) {
                    text += " " + frame.getClassName();
                }
                if (text.contains("grpc")) {
                    grpc = true;
                }
            }
            if (bind == null || !grpc) {
                return null;
            }
            String port = environment.getProperty("spring.grpc.server.port", "9090");
            return new FailureAnalysis(
                    "Weft's gRPC server (the agent protocol) could not listen on port " + port
                            + ": the port is already in use.",
                    "Stop the process that listens on port " + port + ", or give Weft another gRPC port with"
                            + " spring.grpc.server.port (--spring.grpc.server.port=9091 or SPRING_GRPC_SERVER_PORT=9091).",
                    bind);
        }
    }
}
