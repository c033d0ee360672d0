package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages a script relies on before any server answers. */
class UsageTest {

    @TempDir
    Path home;

    record Run(int code, String out, String err) {}

    Run weft(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Weft.run(args, new PrintWriter(out), new PrintWriter(err), env, home);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageError() {
        assertThat(weft(Map.of(), "frobnicate").code()).isEqualTo(2);
        Run bad = weft(Map.of(), "apps", "list", "--colour");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--colour");
        assertThat(weft(Map.of(), "version", "register", "--app", "shop").err()).contains("--file");
        assertThat(weft(Map.of()).code()).isEqualTo(2);
    }

    @Test
    void helpIsNotAnError() {
        Run help = weft(Map.of(), "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("apps", "version", "deploy", "plan", "agents", "rollout", "WEFT_TOKEN");
    }

    @Test
    void noTokenAnywhereIsAUsageErrorThatSaysWhereToPutOne() {
        Run run = weft(Map.of(), "apps", "list");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err())
                .contains(
                        "--token",
                        "WEFT_TOKEN",
                        home.resolve(".config/weft/config").toString());
    }

    @Test
    void anUnreachableServerFailsWithExitOneAndSaysWhere() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = weft(Map.of("WEFT_TOKEN", "weft_x", "WEFT_SERVER", "http://127.0.0.1:" + port), "apps", "list");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("Cannot reach the control plane at http://127.0.0.1:" + port);
    }

    @Test
    void theConfigFileGivesServerAndTokenAndFlagsWin() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = home.resolve(".config/weft/config");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "server=http://127.0.0.1:" + port + "\ntoken=weft_from-file\n");
        assertThat(weft(Map.of(), "apps", "list").err()).contains("http://127.0.0.1:" + port);
        // an inherited option given after the subcommand still counts
        assertThat(weft(Map.of(), "apps", "list", "--server", "http://127.0.0.1:1")
                        .err())
                .contains("http://127.0.0.1:1");
        assertThat(weft(Map.of(), "--config", home.resolve("missing").toString(), "apps", "list")
                        .code())
                .isEqualTo(2);
    }

    @Test
    void aMissingSpecFileIsAUsageError() {
        Run run = weft(
                Map.of("WEFT_TOKEN", "weft_x"),
                "version",
                "register",
                "--app",
                "shop",
                "-f",
                home.resolve("nope.json").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("nope.json");
    }
}
