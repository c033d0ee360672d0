package dev.weft.scheduler.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Row of {@code placement_constraints} with its ordered member components. */
@Entity
@Table(name = "placement_constraints")
class PlacementConstraintEntity {

    /** The constraint kinds the schema allows. */
    enum Kind { COLOCATE, SEPARATE, PIN }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "constraint_id")
    @SequenceGenerator(name = "constraint_id", sequenceName = "weft_id_seq", allocationSize = 50)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "version_id", nullable = false)
    private VersionEntity version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Kind kind;

    @Column(name = "label_key", length = 253)
    private @Nullable String labelKey;

    @Column(name = "label_value", length = 63)
    private @Nullable String labelValue;

    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "constraint_members",
            joinColumns = @JoinColumn(name = "constraint_id"),
            inverseJoinColumns = @JoinColumn(name = "component_id"))
    @OrderColumn(name = "position")
    private List<ComponentEntity> members = new ArrayList<>();

    protected PlacementConstraintEntity() {
    }

    PlacementConstraintEntity(VersionEntity version, Kind kind, List<ComponentEntity> members,
                              @Nullable String labelKey, @Nullable String labelValue) {
        this.version = version;
        this.kind = kind;
        this.members = new ArrayList<>(members);
        this.labelKey = labelKey;
        this.labelValue = labelValue;
    }

    Kind kind() {
        return kind;
    }

    List<ComponentEntity> members() {
        return members;
    }

    @Nullable String labelKey() {
        return labelKey;
    }

    @Nullable String labelValue() {
        return labelValue;
    }
}
