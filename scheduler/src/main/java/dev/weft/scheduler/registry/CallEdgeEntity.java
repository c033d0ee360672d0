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
import org.jspecify.annotations.Nullable;

/** Row of {@code call_edges}: a call the version declares from one of its components to another. */
@Entity
@Table(name = "call_edges")
class CallEdgeEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "call_edge_id")
    @SequenceGenerator(name = "call_edge_id", sequenceName = "weft_id_seq", allocationSize = 50)
    @SuppressWarnings("NullAway.Init") // assigned by JPA when the row is persisted
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "version_id", nullable = false)
    @SuppressWarnings("unused") // written for JPA, which maps it to version_id; read through queries
    private VersionEntity version;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "caller_id", nullable = false)
    private ComponentEntity caller;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "callee_id", nullable = false)
    private ComponentEntity callee;

    @Column(name = "expected_calls_per_sec")
    private @Nullable Double expectedCallsPerSec;

    @Column(name = "bytes_per_call")
    private @Nullable Double bytesPerCall;

    protected CallEdgeEntity() {}

    CallEdgeEntity(
            VersionEntity version,
            ComponentEntity caller,
            ComponentEntity callee,
            @Nullable Double expectedCallsPerSec,
            @Nullable Double bytesPerCall) {
        this.version = version;
        this.caller = caller;
        this.callee = callee;
        this.expectedCallsPerSec = expectedCallsPerSec;
        this.bytesPerCall = bytesPerCall;
    }

    ComponentEntity caller() {
        return caller;
    }

    ComponentEntity callee() {
        return callee;
    }

    @Nullable
    Double expectedCallsPerSec() {
        return expectedCallsPerSec;
    }

    @Nullable
    Double bytesPerCall() {
        return bytesPerCall;
    }
}
