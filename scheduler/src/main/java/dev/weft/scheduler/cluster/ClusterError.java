package dev.weft.scheduler.cluster;

import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.Problem;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** What can go wrong between control-plane replicas, as a client of the one it asked sees it. */
public enum ClusterError implements ErrorCode {
    @Problem(
            http = HttpStatus.SERVICE_UNAVAILABLE,
            grpc = Status.Code.UNAVAILABLE,
            title = "This control-plane node is not the leader")
    NOT_LEADER
}
