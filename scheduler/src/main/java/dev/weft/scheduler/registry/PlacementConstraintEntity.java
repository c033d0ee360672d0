package dev.weft.scheduler.registry;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
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
    enum Kind {
        COLOCATE,
        SEPARATE,
        PIN
    }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "constraint_id")
    @SequenceGenerator(name = "constraint_id", sequenceName = "weft_id_seq", allocationSize = 50)
    @SuppressWarnings("NullAway.Init") // assigned by JPA when the row is persisted
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "version_id", nullable = false)
    @SuppressWarnings("unused") // written for JPA, which maps it to version_id; read through queries
    private VersionEntity version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Kind kind;

    @Column(name = "label_key", length = LabelSelector.MAX_KEY)
    private @Nullable String labelKey;

    @Column(name = "label_value", length = 63)
    private @Nullable String labelValue;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "constraint_members", joinColumns = @JoinColumn(name = "constraint_id"))
    @OrderColumn(name = "position")
    private List<Member> members = new ArrayList<>();

    /**
     * Row of {@code constraint_members}. It names its version as well as its component because the schema
     * (V3) ties both to that version, so a constraint can never name another version's component.
     */
    @Embeddable
    static class Member {

        @ManyToOne(fetch = FetchType.LAZY, optional = false)
        @JoinColumn(name = "version_id", nullable = false)
        @SuppressWarnings("unused") // written for JPA, which maps it to version_id; read through queries
        private VersionEntity version;

        @ManyToOne(fetch = FetchType.LAZY, optional = false)
        @JoinColumn(name = "component_id", nullable = false)
        private ComponentEntity component;

        protected Member() {}

        Member(VersionEntity version, ComponentEntity component) {
            this.version = version;
            this.component = component;
        }

        ComponentEntity component() {
            return component;
        }
    }

    protected PlacementConstraintEntity() {}

    PlacementConstraintEntity(
            VersionEntity version,
            Kind kind,
            List<ComponentEntity> members,
            @Nullable String labelKey,
            @Nullable String labelValue) {
        this.version = version;
        this.kind = kind;
        this.members = new ArrayList<>(members.stream()
                .map(component -> new Member(version, component))
                .toList());
        this.labelKey = labelKey;
        this.labelValue = labelValue;
    }

    Kind kind() {
        return kind;
    }

    List<ComponentEntity> members() {
        return members.stream().map(Member::component).toList();
    }

    @Nullable
    String labelKey() {
        return labelKey;
    }

    @Nullable
    String labelValue() {
        return labelValue;
    }
}
