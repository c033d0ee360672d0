package dev.weft.agent.node;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Each replica in the agent's JVM, in its own class loader over the artifact (parent: the platform loader, so it
 * shares no application or library class with the agent or another replica). Measured against
 * {@link ProcessLauncher} in bench/RESULTS.md; not the default (see agent/README.md for why). The replica ends
 * when its supervisor link does; its threads are not forcibly stopped.
 */
public final class ClassLoaderLauncher implements ReplicaLauncher {

    @Override
    public Launched launch(Artifact artifact, List<String> args, int memoryMib, String logName) throws Exception {
        if (artifact.mainClass() == null) {
            throw new IllegalArgumentException("a class-loader replica needs the main class named in the artifact");
        }
        URL[] urls = new URL[artifact.classPath().size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = artifact.classPath().get(i).toUri().toURL();
        }
        URLClassLoader loader = new URLClassLoader("weft-" + logName, urls, ClassLoader.getPlatformClassLoader());
        Class<?> main = Class.forName(artifact.mainClass(), true, loader);
        Method entry = main.getMethod("main", String[].class);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("weft-replica-" + logName).unstarted(() -> {
            try {
                entry.invoke(null, (Object) args.toArray(String[]::new));
            } catch (ReflectiveOperationException | RuntimeException e) {
                exit.complete(1);
            }
        });
        thread.setContextClassLoader(loader);
        thread.start();
        return new Launched() {
            @Override
            public long pid() {
                return ProcessHandle.current().pid();
            }

            @Override
            public CompletableFuture<Integer> exit() {
                return exit;
            }

            @Override
            public void stop(Duration grace) {
                exit.complete(0);
                try {
                    loader.close();
                } catch (java.io.IOException e) {
                    // nothing more to release
                }
            }
        };
    }
}
