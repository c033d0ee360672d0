package dev.weft.scheduler.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** Row of {@code components}: one logical unit of a version with its per-replica resource hints. */
@Entity
@Table(name = "components")
class ComponentEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "component_id")
    @SequenceGenerator(name = "component_id", sequenceName = "weft_id_seq", allocationSize = 50)
    @SuppressWarnings("NullAway.Init") // assigned by JPA when the row is persisted
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "version_id", nullable = false)
    @SuppressWarnings("unused") // written for JPA, which maps it to version_id; read through queries
    private VersionEntity version;

    @Column(nullable = false, length = 63)
    private String name;

    @Column(name = "cpu_millis", nullable = false)
    private int cpuMillis;

    @Column(name = "memory_mib", nullable = false)
    private int memoryMib;

    @Column(name = "min_replicas", nullable = false)
    private int minReplicas;

    @Column(name = "max_replicas", nullable = false)
    private int maxReplicas;

    @Column(nullable = false)
    private boolean ingress;

    protected ComponentEntity() {}

    ComponentEntity(
            VersionEntity version,
            String name,
            int cpuMillis,
            int memoryMib,
            int minReplicas,
            int maxReplicas,
            boolean ingress) {
        this.version = version;
        this.name = name;
        this.cpuMillis = cpuMillis;
        this.memoryMib = memoryMib;
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
        this.ingress = ingress;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    int cpuMillis() {
        return cpuMillis;
    }

    int memoryMib() {
        return memoryMib;
    }

    int minReplicas() {
        return minReplicas;
    }

    int maxReplicas() {
        return maxReplicas;
    }

    boolean ingress() {
        return ingress;
    }
}
