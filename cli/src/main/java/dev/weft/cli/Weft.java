package dev.weft.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code weft}: the control plane from a terminal or a script. Server and token come from {@code --server} /
 * {@code --token}, else {@code WEFT_SERVER} / {@code WEFT_TOKEN}, else the config file ({@code
 * ~/.config/weft/config}: {@code server=...} and {@code token=...} lines), else the server defaults to
 * http://localhost:8080. Exit codes: 0 done; 1 the request failed (the server's problem is printed) or a watched
 * rollout ended rolled back or aborted; 2 a usage error.
 */
@Command(
        name = "weft",
        mixinStandardHelpOptions = true,
        version = "weft 0.1.0",
        description = "Operate a Weft control plane: applications, versions, deploy, plans, agents and rollouts.",
        footer = {
            "",
            "Server and token: --server/--token, else WEFT_SERVER/WEFT_TOKEN, else ~/.config/weft/config"
                    + " (server=..., token=...). Exit codes: 0 done, 1 failed or rolled back, 2 usage error."
        },
        subcommands = {
            AppCommands.class,
            VersionCommands.class,
            DeployCommands.Deploy.class,
            DeployCommands.Undeploy.class,
            DeployCommands.Deployments.class,
            PlanCommands.class,
            AgentCommands.class,
            RolloutCommands.class,
            AdminCommands.Events.class,
            AdminCommands.Tokens.class,
            AdminCommands.WhoAmI.class
        })
public final class Weft implements Callable<Integer> {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final String DEFAULT_SERVER = "http://localhost:8080";

    @Option(
            names = "--server",
            scope = ScopeType.INHERIT,
            description = "Control plane URL (default: WEFT_SERVER, config file, " + DEFAULT_SERVER + ")")
    @Nullable
    String server;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            description = "Operator token weft_... (default: WEFT_TOKEN, then the config file)")
    @Nullable
    String token;

    @Option(
            names = {"-o", "--output"},
            scope = ScopeType.INHERIT,
            description = "table (default) or json")
    Output.@Nullable Format output;

    @Option(names = "--config", scope = ScopeType.INHERIT, description = "Config file (default: ~/.config/weft/config)")
    @Nullable
    Path config;

    @Spec
    @Nullable
    CommandSpec spec;

    final PrintWriter out;
    final PrintWriter err;
    private final Map<String, String> env;
    private final Path home;

    Weft(PrintWriter out, PrintWriter err, Map<String, String> env, Path home) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.home = home;
    }

    /** Runs one command line and returns its exit code; everything it prints goes to {@code out} and {@code err}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Path home) {
        CommandLine line = new CommandLine(new Weft(out, err, env, home));
        line.setOut(out);
        line.setErr(err);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof ApiException refused) {
                err.println("weft: " + refused.describe());
                err.flush();
                return FAILED;
            }
            if (e instanceof CommandLine.ParameterException usage) {
                err.println("weft: " + usage.getMessage());
                err.flush();
                return USAGE;
            }
            throw e;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err, System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    @Override
    public Integer call() {
        if (spec != null) {
            spec.commandLine().usage(err);
        }
        return USAGE;
    }

    Output.Format format() {
        return output == null ? Output.Format.table : output;
    }

    /** The API client for the resolved server and token; no token anywhere is a usage error. */
    Api api(CommandLine commandLine) {
        Properties file = configFile(commandLine);
        String url = first(server, env.get("WEFT_SERVER"), file.getProperty("server"), DEFAULT_SERVER);
        String secret = first(token, env.get("WEFT_TOKEN"), file.getProperty("token"), null);
        if (secret == null || secret.isBlank()) {
            throw new CommandLine.ParameterException(
                    commandLine,
                    "No operator token: pass --token, set WEFT_TOKEN, or put token=weft_... in "
                            + configPath()
                            + " (README, \"Operators, roles and tokens\")");
        }
        return new Api(url == null ? DEFAULT_SERVER : url, secret.strip());
    }

    private Path configPath() {
        return config != null ? config : home.resolve(".config").resolve("weft").resolve("config");
    }

    private Properties configFile(CommandLine commandLine) {
        Properties properties = new Properties();
        Path path = configPath();
        if (!Files.exists(path)) {
            if (config != null) {
                throw new CommandLine.ParameterException(commandLine, "Config file " + path + " does not exist");
            }
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    commandLine, "Cannot read config file " + path + ": " + e.getMessage());
        }
        return properties;
    }

    private static @Nullable String first(@Nullable String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
