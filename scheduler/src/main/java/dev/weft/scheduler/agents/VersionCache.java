package dev.weft.scheduler.agents;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Database ids of registered versions and their components, kept in memory so that validating a load
 * report costs no database round trip. Caffeine loads each version once however many streams ask at the
 * same moment, and reloads it in the background {@code weft.agents.version-cache-ttl} after it was loaded
 * (versions are immutable, but they can be deleted and a name registered again) while reports go on using
 * the entry. "No such version" is remembered only for {@code weft.agents.unknown-version-ttl}, since one
 * may be registered at any moment. Ages are measured on the injected clock.
 */
@Component
class VersionCache {

    /** The ids of one version. */
    record KnownVersion(long id, Map<String, Long> componentIds) {
        KnownVersion {
            componentIds = Map.copyOf(componentIds);
        }
    }

    private record Key(String application, String version) {}

    private final Registry registry;
    private final DatabaseGate gate;
    private final LoadingCache<Key, Optional<KnownVersion>> entries;

    VersionCache(Registry registry, Clock clock, AgentsProperties properties, DatabaseGate gate) {
        this.registry = registry;
        this.gate = gate;
        long knownNanos = properties.versionCacheTtl().toNanos();
        long unknownNanos = properties.unknownVersionTtl().toNanos();
        this.entries = Caffeine.newBuilder()
                .maximumSize(properties.versionCacheSize())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new Expiry<Key, Optional<KnownVersion>>() {
                    @Override
                    public long expireAfterCreate(Key key, Optional<KnownVersion> value, long now) {
                        // a known version outlives its refresh point, so readers never wait for the reload
                        return value.isPresent() ? 2 * knownNanos : unknownNanos;
                    }

                    @Override
                    public long expireAfterUpdate(Key key, Optional<KnownVersion> value, long now, long remaining) {
                        return expireAfterCreate(key, value, now);
                    }

                    @Override
                    public long expireAfterRead(Key key, Optional<KnownVersion> value, long now, long remaining) {
                        return remaining;
                    }
                })
                .refreshAfterWrite(properties.versionCacheTtl())
                .build(this::load);
    }

    Optional<KnownVersion> find(String application, String version) {
        // a name no registered application or version can have is not looked up (PostgreSQL cannot even compare
        // text holding a NUL): it is simply not registered
        if (!REGISTRABLE.matcher(application).matches()
                || !REGISTRABLE.matcher(version).matches()) {
            return Optional.empty();
        }
        return entries.get(new Key(application, version));
    }

    /** Every name the registry accepts for an application or a version matches this (and more). */
    private static final java.util.regex.Pattern REGISTRABLE =
            java.util.regex.Pattern.compile("[a-z0-9][-a-z0-9.]{0,62}");

    private Optional<KnownVersion> load(Key key) {
        return gate.read(() -> registry.version(key.application(), key.version())
                .map(v -> {
                    Map<String, Long> ids = new HashMap<>();
                    for (RegisteredComponent component : v.components()) {
                        ids.put(component.name(), component.id());
                    }
                    return new KnownVersion(v.id(), ids);
                }));
    }
}
