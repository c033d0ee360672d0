package dev.weft.scheduler.agents;

import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Database ids of registered versions and their components, kept in memory so that validating a load
 * report costs no database round trip. Versions are immutable, but they can be deleted (and a name
 * registered again), so an entry is trusted for {@code weft.agents.version-cache-ttl} only. Unknown
 * versions are not cached: one may be registered at any moment.
 */
@Component
class VersionCache {

    /** The ids of one version. */
    record KnownVersion(long id, Map<String, Long> componentIds, Instant loadedAt) {
        KnownVersion {
            componentIds = Map.copyOf(componentIds);
        }
    }

    private record Key(String application, String version) {
    }

    private final Registry registry;
    private final Clock clock;
    private final int maxSize;
    private final long ttlMillis;
    private final Map<Key, KnownVersion> entries = new ConcurrentHashMap<>();

    VersionCache(Registry registry, Clock clock, AgentsProperties properties) {
        this.registry = registry;
        this.clock = clock;
        this.maxSize = properties.versionCacheSize();
        this.ttlMillis = properties.versionCacheTtl().toMillis();
    }

    Optional<KnownVersion> find(String application, String version) {
        Key key = new Key(application, version);
        Instant now = clock.instant();
        KnownVersion known = entries.get(key);
        if (known != null && now.toEpochMilli() - known.loadedAt().toEpochMilli() < ttlMillis) {
            return Optional.of(known);
        }
        Optional<KnownVersion> loaded = registry.version(application, version).map(v -> {
            Map<String, Long> ids = new HashMap<>();
            for (RegisteredComponent component : v.components()) {
                ids.put(component.name(), component.id());
            }
            return new KnownVersion(v.id(), ids, now);
        });
        if (loaded.isPresent()) {
            evictIfFull();
            entries.put(key, loaded.get());
        } else {
            entries.remove(key);
        }
        return loaded;
    }

    private void evictIfFull() {
        // Rarely full in practice (versions of all applications in use); dropping any entry keeps it bounded.
        Iterator<Key> keys = entries.keySet().iterator();
        while (entries.size() >= maxSize && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
