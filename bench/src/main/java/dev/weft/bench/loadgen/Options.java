package dev.weft.bench.loadgen;

/** Command-line flags of the load generator, each with a default for a quick local run. */
final class Options {

    int agents = 1_000;
    int durationSeconds = 60;
    int warmupSeconds = 10;
    long intervalMillis = 1_000;
    double connectRate = 1_000;
    int channels = 4;
    int eventLoopThreads = 2;
    int components = 20;
    int edges = 40;
    int versions = 1;
    String grpc = "127.0.0.1:9090";
    String http = "http://127.0.0.1:8080";
    String token = "weft-local-dev-token";
    String application = "loadgen";
    String version = "v1";

    /** The version agent {@code agent} reports for: v1 when there is one, else v1..vN in turn. */
    String versionOf(int agent) {
        return versions == 1 ? version : "v" + (1 + agent % versions);
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--full")) {
                o.agents = 10_000;
                continue;
            }
            if (flag.equals("--help")) {
                System.out.println("""
                        flags: --agents N (1000) | --full (10000 agents), --duration S (60), --warmup S (10),
                               --interval-ms MS (1000), --connect-rate PER_S (1000), --channels N (4),
                               --event-loop-threads N (2), --components N (20), --edges N (40),
                               --versions N (1: agent i reports for version v(1 + i mod N), so the
                                            writer has N x (components + edges) rows per bucket),
                               --grpc HOST:PORT (127.0.0.1:9090), --http URL (http://127.0.0.1:8080),
                               --token T (weft-local-dev-token), --application A (loadgen), --version V (v1)""");
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--agents" -> o.agents = Integer.parseInt(value);
                case "--duration" -> o.durationSeconds = Integer.parseInt(value);
                case "--warmup" -> o.warmupSeconds = Integer.parseInt(value);
                case "--interval-ms" -> o.intervalMillis = Long.parseLong(value);
                case "--connect-rate" -> o.connectRate = Double.parseDouble(value);
                case "--channels" -> o.channels = Integer.parseInt(value);
                case "--event-loop-threads" -> o.eventLoopThreads = Integer.parseInt(value);
                case "--components" -> o.components = Integer.parseInt(value);
                case "--edges" -> o.edges = Integer.parseInt(value);
                case "--versions" -> o.versions = Integer.parseInt(value);
                case "--grpc" -> o.grpc = value;
                case "--http" -> o.http = value;
                case "--token" -> o.token = value;
                case "--application" -> o.application = value;
                case "--version" -> o.version = value;
                default -> throw new IllegalArgumentException("unknown flag " + flag + " (see --help)");
            }
        }
        if (o.agents < 1
                || o.durationSeconds < 1
                || o.channels < 1
                || o.components < 2
                || o.edges < 0
                || o.edges > o.components * (o.components - 1)
                || o.versions < 1
                || o.intervalMillis < 1
                || o.connectRate <= 0) {
            throw new IllegalArgumentException("flags out of range (see --help)");
        }
        return o;
    }
}
