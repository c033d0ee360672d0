package dev.weft.scheduler.deployments;

/** A deployment changed state; published in the transaction that changed it. */
public record DeploymentChanged(
        String application, String version, Deployments.State from, Deployments.State to, String reason) {}
