package dev.weft.scheduler.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** Row of {@code applications}: a name that versions belong to. */
@Entity
@Table(name = "applications")
class ApplicationEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "application_id")
    @SequenceGenerator(name = "application_id", sequenceName = "weft_id_seq", allocationSize = 50)
    @SuppressWarnings("NullAway.Init") // assigned by JPA when the row is persisted
    private Long id;

    @Column(nullable = false, unique = true, length = 63)
    private String name;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ApplicationEntity() {}

    ApplicationEntity(String name, Instant createdAt) {
        this.name = name;
        this.createdAt = createdAt;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    Instant createdAt() {
        return createdAt;
    }
}
