package dev.weft.scheduler.agents;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerExecutorProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on the agent registry's settings and the lease sweeper's schedule, and runs agent calls on virtual threads. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(AgentsProperties.class)
class AgentsConfiguration {

    /**
     * grpc-java's default executor is an unbounded cached pool of platform threads: when the database is slow,
     * every agent waiting on it holds a thread (hundreds were seen in a reconnect storm of 10,000 agents).
     * Each stream's messages still run one at a time; on virtual threads a wait costs a few hundred bytes.
     */
    @Bean(destroyMethod = "close")
    ExecutorService agentCallExecutor() {
        return Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("weft-agent-call-", 0).factory());
    }

    @Bean
    GrpcServerExecutorProvider grpcServerExecutor(ExecutorService agentCallExecutor) {
        return () -> agentCallExecutor;
    }
}
