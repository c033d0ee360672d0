package dev.weft.schemacheck;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A deliberately wrong mapping of {@code components} (one column misspelled), so SchemaTest can show
 * that validation against the migrated schema really fails on a mismatch. It lives outside
 * dev.weft.scheduler so the application's entity scan never picks it up.
 */
@Entity
@Table(name = "components")
public class ComponentWithAMisspelledColumn {

    @Id
    private Long id;

    @Column(name = "cpu_milis", nullable = false)
    private int cpuMillis;

    protected ComponentWithAMisspelledColumn() {}
}
