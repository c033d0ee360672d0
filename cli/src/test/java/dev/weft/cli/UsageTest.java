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
    void aPolicyFileThatCannotBeReadOrIsNoJsonObjectIsAUsageErrorBeforeAnyRequest() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // a request would fail with exit 1 (nothing listens): these stop before one
        Map<String, String> env = Map.of("WEFT_TOKEN", "weft_x", "WEFT_SERVER", "http://127.0.0.1:" + port);
        Path missing = home.resolve("no-such-policy.json");
        Run unreadable =
                weft(env, "rollout", "start", "--app", "shop", "--version", "v2", "--policy-file", missing.toString());
        assertThat(unreadable.code()).isEqualTo(2);
        assertThat(unreadable.err()).contains("Cannot read the policy file " + missing);
        Path broken = Files.writeString(home.resolve("broken.json"), "{\"steps\": [");
        Run notJson =
                weft(env, "rollout", "start", "--app", "shop", "--version", "v2", "--policy-file", broken.toString());
        assertThat(notJson.code()).isEqualTo(2);
        assertThat(notJson.err()).contains("is not JSON");
        Path array = Files.writeString(home.resolve("array.json"), "[]");
        assertThat(weft(env, "rollout", "start", "--app", "shop", "--version", "v2", "--policy-file", array.toString())
                        .err())
                .contains("must hold a JSON object");
        Path good = Files.writeString(home.resolve("good.json"), "{\"steps\": [{\"weight\": 100}]}");
        Run both = weft(
                env,
                "rollout",
                "start",
                "--app",
                "shop",
                "--version",
                "v2",
                "--policy",
                "canary",
                "--policy-file",
                good.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("give one");
        Run sent = weft(env, "rollout", "start", "--app", "shop", "--version", "v2", "--policy-file", good.toString());
        assertThat(sent.code()).as("a good file goes on to the request").isEqualTo(1);
        assertThat(sent.err()).contains("Cannot reach the control plane");
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
