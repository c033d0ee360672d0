/**
 * Deployments: an operator deploys an application's first version, which gets all of the application's traffic once
 * it is fully placed, and undeploys it (traffic first, then its replicas). The same machinery serves rollouts through
 * {@link dev.weft.scheduler.deployments.Deployments}: place a version beside the serving one, watch its placement,
 * set any traffic split, release a version.
 */
@NullMarked
package dev.weft.scheduler.deployments;

import org.jspecify.annotations.NullMarked;
