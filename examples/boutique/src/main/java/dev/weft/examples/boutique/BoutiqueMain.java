package dev.weft.examples.boutique;

import dev.weft.agent.Weft;
import dev.weft.agent.WeftRuntime;
import dev.weft.agent.http.HttpServing;
import dev.weft.examples.boutique.Services.Frontend;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * Runs the boutique. Started by a Weft agent it is one replica; started by hand ({@code java -jar
 * weft-example-boutique.jar [--port=8080]}) every component runs in this process and the frontend serves HTTP.
 */
public final class BoutiqueMain {

    private BoutiqueMain() {}

    public static void main(String[] args) throws Exception {
        // WEFT_BOUTIQUE_APPLICATION: the application name, when the boutique is registered under another one (replicas
        // inherit their agent's environment)
        String name = System.getenv("WEFT_BOUTIQUE_APPLICATION");
        WeftRuntime weft =
                Weft.run(Boutique.app(Clock.systemUTC(), name == null || name.isBlank() ? Boutique.NAME : name), args);
        if (weft.isReplica()) {
            weft.awaitTermination();
            return;
        }
        int port = 8080;
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            }
        }
        var server = HttpServing.serve(weft.get(Frontend.class), new InetSocketAddress(port));
        System.out.println("boutique (all components in one process) on http://localhost:"
                + server.getAddress().getPort());
    }
}
