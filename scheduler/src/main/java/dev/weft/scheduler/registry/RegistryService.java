package dev.weft.scheduler.registry;

import static java.util.Objects.requireNonNull;

import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.registry.PlacementConstraintEntity.Kind;
import dev.weft.scheduler.registry.VersionSpec.ConstraintsSpec;
import dev.weft.scheduler.system.WeftException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates, reads and deletes applications and versions. Every write is one transaction with its
 * audit record, so a rejected request leaves the database exactly as it was.
 */
@Service
class RegistryService implements Registry {

    private final ApplicationRepository applications;
    private final VersionRepository versions;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AuditLog auditLog;
    private final Clock clock;

    RegistryService(
            ApplicationRepository applications,
            VersionRepository versions,
            JdbcClient jdbc,
            JsonMapper json,
            AuditLog auditLog,
            Clock clock) {
        this.applications = applications;
        this.versions = versions;
        this.jdbc = jdbc;
        this.json = json;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Transactional
    ApplicationEntity createApplication(String name) {
        if (applications.findByName(name).isPresent()) {
            throw new WeftException(RegistryError.APPLICATION_EXISTS, "Application '" + name + "' already exists");
        }
        ApplicationEntity created = applications.saveAndFlush(new ApplicationEntity(name, clock.instant()));
        auditLog.record(AuditEvent.ofApplication("APPLICATION_CREATED", name, "Application '" + name + "' created"));
        return created;
    }

    @Transactional(readOnly = true)
    Page<ApplicationEntity> listApplications(Pageable page) {
        return applications.findAll(page);
    }

    @Transactional(readOnly = true)
    ApplicationEntity application(String name) {
        return applications
                .findByName(name)
                .orElseThrow(() -> new WeftException(
                        RegistryError.APPLICATION_NOT_FOUND, "Application '" + name + "' does not exist"));
    }

    @Transactional(readOnly = true)
    long versionCount(ApplicationEntity application) {
        return jdbc.sql("select count(*) from versions where application_id = ?")
                .param(application.id())
                .query(Long.class)
                .single();
    }

    @Transactional
    void deleteApplication(String name) {
        ApplicationEntity application = lockApplication(name, RowLock.UPDATE);
        List<String> running = jdbc
                .sql("select name from versions where application_id = ? order by name")
                .param(application.id())
                .query((rs, n) -> rs.getString(1))
                .list()
                .stream()
                .filter(version -> runState(application.id(), version) != null)
                .toList();
        if (!running.isEmpty()) {
            throw new WeftException(
                    RegistryError.APPLICATION_IN_USE,
                    "Application '" + name + "' still runs version(s) " + running
                            + "; finish or roll back their rollouts and drain their traffic before deleting it");
        }
        jdbc.sql("delete from rollouts where application_id = ?")
                .param(application.id())
                .update();
        jdbc.sql("delete from traffic_splits where application_id = ?")
                .param(application.id())
                .update();
        // The schema cascades to versions, components, edges, constraints, plans and load in one statement.
        jdbc.sql("delete from applications where id = ?")
                .param(application.id())
                .update();
        auditLog.record(AuditEvent.ofApplication("APPLICATION_DELETED", name, "Application '" + name + "' deleted"));
    }

    /** Result of a registration: the stored version, and whether this call created it. */
    record Registration(VersionEntity version, boolean created) {}

    @Transactional
    Registration register(String applicationName, VersionSpec raw) {
        VersionSpec spec = VersionSpecValidator.canonical(raw);
        // A shared lock: registrations run side by side, but an application (or version) delete waits
        // for them, so an insert never meets an application deleted under it.
        ApplicationEntity application = lockApplication(applicationName, RowLock.SHARE);
        String name = Objects.requireNonNull(spec.version());
        String specJson = json.writeValueAsString(spec);
        String hash = sha256(specJson);
        Optional<VersionEntity> existing = versions.findByApplicationAndName(application, name);
        if (existing.isPresent()) {
            if (existing.get().specHash().equals(hash)) {
                return new Registration(existing.get(), false);
            }
            throw new WeftException(
                    RegistryError.VERSION_CONFLICT,
                    "Version '" + name + "' of application '" + applicationName
                            + "' already exists with a different spec (stored spec hash "
                            + existing.get().specHash() + ", this one "
                            + hash + "); versions are immutable, so register the change under a new version name");
        }
        VersionEntity version = new VersionEntity(
                application, name, Objects.requireNonNull(spec.artifact()), hash, specJson, clock.instant());
        Map<String, ComponentEntity> byName = new HashMap<>();
        for (VersionSpec.ComponentSpec c : Objects.requireNonNull(spec.components())) {
            ComponentEntity component = new ComponentEntity(
                    version,
                    // canonical: every field is present
                    requireNonNull(c.name()),
                    requireNonNull(c.cpuMillis()),
                    requireNonNull(c.memoryMiB()),
                    requireNonNull(c.minReplicas()),
                    requireNonNull(c.maxReplicas()),
                    Boolean.TRUE.equals(c.ingress()));
            version.components().add(component);
            byName.put(c.name(), component);
        }
        for (VersionSpec.EdgeSpec e : Objects.requireNonNull(spec.edges())) {
            version.edges()
                    .add(new CallEdgeEntity(
                            version,
                            requireNonNull(byName.get(e.caller())),
                            requireNonNull(byName.get(e.callee())),
                            e.callsPerSecond(),
                            e.bytesPerCall()));
        }
        addConstraints(version, Objects.requireNonNull(spec.constraints()), byName);
        versions.saveAndFlush(version);
        auditLog.record(AuditEvent.ofVersion(
                "VERSION_REGISTERED",
                applicationName,
                name,
                "Version '" + name + "' of '" + applicationName + "' registered with " + byName.size()
                        + " components and " + version.edges().size() + " edges",
                Map.of("specHash", hash, "artifact", version.artifactRef())));
        return new Registration(version, true);
    }

    private static void addConstraints(
            VersionEntity version, ConstraintsSpec constraints, Map<String, ComponentEntity> byName) {
        for (List<String> set : Objects.requireNonNull(constraints.colocate())) {
            version.constraints()
                    .add(new PlacementConstraintEntity(
                            version,
                            Kind.COLOCATE,
                            set.stream().map(byName::get).toList(),
                            null,
                            null));
        }
        for (List<String> pair : Objects.requireNonNull(constraints.separate())) {
            version.constraints()
                    .add(new PlacementConstraintEntity(
                            version,
                            Kind.SEPARATE,
                            pair.stream().map(byName::get).toList(),
                            null,
                            null));
        }
        for (VersionSpec.PinSpec pin : Objects.requireNonNull(constraints.pins())) {
            LabelSelector selector = Objects.requireNonNull(LabelSelector.parse(Objects.requireNonNull(pin.label())));
            version.constraints()
                    .add(new PlacementConstraintEntity(
                            version, Kind.PIN, List.of(byName.get(pin.component())), selector.key(), selector.value()));
        }
    }

    @Transactional(readOnly = true)
    Page<VersionEntity> listVersions(String applicationName, Pageable page) {
        return versions.findByApplication(application(applicationName), page);
    }

    @Transactional(readOnly = true)
    VersionEntity version(ApplicationEntity application, String name) {
        return versions.findByApplicationAndName(application, name)
                .orElseThrow(() -> new WeftException(
                        RegistryError.VERSION_NOT_FOUND,
                        "Application '" + application.name() + "' has no version '" + name + "'"));
    }

    @Transactional(readOnly = true)
    VersionSpec spec(VersionEntity version) {
        return json.readValue(version.spec(), VersionSpec.class);
    }

    @Transactional(readOnly = true)
    int servingWeight(VersionEntity version) {
        return jdbc.sql("select coalesce(max(weight_bp), 0) from traffic_splits where version_id = ?")
                .param(version.id())
                .query(Integer.class)
                .single();
    }

    @Transactional
    void deleteVersion(String applicationName, String name) {
        ApplicationEntity application = lockApplication(applicationName, RowLock.UPDATE);
        VersionEntity version = version(application, name);
        String why = runState(application.id(), name);
        if (why != null) {
            throw new WeftException(
                    RegistryError.VERSION_IN_USE,
                    "Version '" + name + "' of '" + applicationName + "' " + why
                            + "; shift its traffic to another version (or roll back its rollout) before deleting it");
        }
        jdbc.sql("delete from traffic_splits where version_id = ?")
                .param(version.id())
                .update();
        jdbc.sql("delete from rollouts where from_version_id = ? or to_version_id = ?")
                .params(version.id(), version.id())
                .update();
        jdbc.sql("delete from versions where id = ?").param(version.id()).update();
        auditLog.record(AuditEvent.ofVersion(
                "VERSION_DELETED",
                applicationName,
                name,
                "Version '" + name + "' of '" + applicationName + "' deleted",
                Map.of()));
    }

    /**
     * Why a version counts as running — serving traffic, in a rollout in flight, or with replicas
     * assigned by its active plan — or null if it does not.
     */
    private @org.jspecify.annotations.Nullable String runState(long applicationId, String versionName) {
        Integer weight = jdbc.sql("""
                select coalesce(max(t.weight_bp), 0) from traffic_splits t join versions v on v.id = t.version_id
                where v.application_id = ? and v.name = ?""")
                .params(applicationId, versionName)
                .query(Integer.class)
                .single();
        if (weight > 0) {
            return "serves " + (weight / 100.0) + "% of the application's traffic";
        }
        Long rollouts = jdbc.sql("""
                select count(*) from rollouts r join versions v on v.id in (r.from_version_id, r.to_version_id)
                where v.application_id = ? and v.name = ? and r.state not in ('DONE', 'ROLLED_BACK')""")
                .params(applicationId, versionName)
                .query(Long.class)
                .single();
        if (rollouts > 0) {
            return "takes part in a rollout that is still in flight";
        }
        Long replicas = jdbc.sql("""
                select count(*) from assignments a join plans p on p.id = a.plan_id join versions v on v.id = p.version_id
                where v.application_id = ? and v.name = ? and p.active""")
                .params(applicationId, versionName)
                .query(Long.class)
                .single();
        if (replicas > 0) {
            return "still has " + replicas + " replica(s) assigned to agents by its active plan";
        }
        return null;
    }

    /** How strongly {@link #lockApplication} locks the application's row. */
    private enum RowLock {
        SHARE("for share"),
        UPDATE("for update");

        private final String clause;

        RowLock(String clause) {
            this.clause = clause;
        }
    }

    /**
     * Serialises deletes and registrations of one application against each other: deletes lock its row
     * {@code for update}, registrations {@code for share}. A row deleted while we waited is not found.
     */
    private ApplicationEntity lockApplication(String name, RowLock lock) {
        ApplicationEntity application = application(name);
        if (jdbc.sql("select id from applications where id = ? " + lock.clause)
                .param(application.id())
                .query(Long.class)
                .optional()
                .isEmpty()) {
            throw new WeftException(RegistryError.APPLICATION_NOT_FOUND, "Application '" + name + "' does not exist");
        }
        return application;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<RegisteredVersion> version(String applicationName, String versionName) {
        return applications
                .findByName(applicationName)
                .flatMap(application -> versions.findByApplicationAndName(application, versionName))
                .map(this::toRegistered);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<RegisteredVersion> version(long versionId) {
        return versions.findById(versionId).map(this::toRegistered);
    }

    private RegisteredVersion toRegistered(VersionEntity version) {
        VersionSpec spec = spec(version);
        List<RegisteredComponent> components = version.components().stream()
                .map(c -> new RegisteredComponent(
                        c.id(), c.name(), c.cpuMillis(), c.memoryMib(), c.minReplicas(), c.maxReplicas(), c.ingress()))
                .toList();
        List<RegisteredEdge> edges = version.edges().stream()
                .map(e -> new RegisteredEdge(
                        e.caller().id(),
                        e.caller().name(),
                        e.callee().id(),
                        e.callee().name(),
                        e.expectedCallsPerSec(),
                        e.bytesPerCall()))
                .toList();
        return new RegisteredVersion(
                version.id(),
                version.application().name(),
                version.name(),
                version.artifactRef(),
                components,
                edges,
                Objects.requireNonNull(spec.constraints()));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
