package dev.weft.scheduler.registry;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Row of {@code versions} with the components, edges and constraints it owns; never updated once stored. */
@Entity
@Table(name = "versions")
class VersionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "version_id")
    @SequenceGenerator(name = "version_id", sequenceName = "weft_id_seq", allocationSize = 50)
    @SuppressWarnings("NullAway.Init") // assigned by JPA when the row is persisted
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "application_id", nullable = false)
    private ApplicationEntity application;

    @Column(nullable = false, length = 63)
    private String name;

    @Column(name = "artifact_ref", nullable = false, length = 2048)
    private String artifactRef;

    @Column(name = "spec_hash", nullable = false, length = 64)
    private String specHash;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    private String spec;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @OneToMany(mappedBy = "version", cascade = CascadeType.ALL, orphanRemoval = true)
    private List<ComponentEntity> components = new ArrayList<>();

    @OneToMany(mappedBy = "version", cascade = CascadeType.ALL, orphanRemoval = true)
    private List<CallEdgeEntity> edges = new ArrayList<>();

    @OneToMany(mappedBy = "version", cascade = CascadeType.ALL, orphanRemoval = true)
    private List<PlacementConstraintEntity> constraints = new ArrayList<>();

    protected VersionEntity() {}

    VersionEntity(
            ApplicationEntity application,
            String name,
            String artifactRef,
            String specHash,
            String spec,
            Instant createdAt) {
        this.application = application;
        this.name = name;
        this.artifactRef = artifactRef;
        this.specHash = specHash;
        this.spec = spec;
        this.createdAt = createdAt;
    }

    Long id() {
        return id;
    }

    ApplicationEntity application() {
        return application;
    }

    String name() {
        return name;
    }

    String artifactRef() {
        return artifactRef;
    }

    String specHash() {
        return specHash;
    }

    String spec() {
        return spec;
    }

    Instant createdAt() {
        return createdAt;
    }

    List<ComponentEntity> components() {
        return components;
    }

    List<CallEdgeEntity> edges() {
        return edges;
    }

    List<PlacementConstraintEntity> constraints() {
        return constraints;
    }
}
