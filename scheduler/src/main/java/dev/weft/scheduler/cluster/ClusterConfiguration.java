package dev.weft.scheduler.cluster;

import dev.weft.scheduler.events.AuditLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires leader election, the fence and the bus; only {@link Leadership} and {@link ClusterBus} are for others. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
class ClusterConfiguration {

    @Bean
    ClusterMetrics clusterMetrics(MeterRegistry registry) {
        return new ClusterMetrics(registry);
    }

    @Bean
    EpochStore epochStore(JdbcClient jdbc) {
        return new EpochStore(jdbc);
    }

    @Bean
    DedicatedConnections dedicatedConnections(DataSource dataSource, ClusterProperties properties) {
        return new DedicatedConnections(dataSource, properties);
    }

    @Bean
    Fence fence(EpochStore store, TransactionTemplate transactions, ClusterMetrics metrics) {
        return new Fence(store, transactions, metrics);
    }

    @Bean
    Leadership leadership(ClusterProperties properties, EpochStore store, ClusterMetrics metrics) {
        Leadership leadership = new Leadership(properties.nodeId(), store);
        metrics.leadershipGauges(leadership::isLeader, leadership::epochOrZero);
        return leadership;
    }

    @Bean
    LeaderElector leaderElector(
            ClusterProperties properties,
            DedicatedConnections connections,
            Leadership leadership,
            EpochStore store,
            Fence fence,
            TransactionTemplate transactions,
            AuditLog auditLog,
            ApplicationEventPublisher publisher,
            ClusterMetrics metrics,
            Clock clock) {
        return new LeaderElector(
                properties, connections, leadership, store, fence, transactions, auditLog, publisher, metrics, clock);
    }

    /**
     * Subscribers run on virtual threads, one at a time per subscription. At shutdown a subscriber still running is
     * interrupted rather than waited for (the bus has stopped listening by then).
     */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService clusterBusDeliveries() {
        return Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("weft-bus-delivery-", 0).factory());
    }

    @Bean
    ClusterBus clusterBus(
            JdbcClient jdbc,
            JsonMapper json,
            ClusterProperties properties,
            ClusterMetrics metrics,
            ExecutorService clusterBusDeliveries) {
        return new ClusterBus(jdbc, json, properties.nodeId(), metrics, clusterBusDeliveries);
    }

    @Bean
    NotificationListener notificationListener(
            ClusterBus bus, DedicatedConnections connections, ClusterProperties properties, ClusterMetrics metrics) {
        NotificationListener listener = new NotificationListener(bus, connections, properties, metrics);
        metrics.busGauge(bus::isListening);
        return listener;
    }

    @Bean
    ClusterHealth clusterHealthIndicator(Leadership leadership, ClusterBus bus) {
        return new ClusterHealth(leadership, bus);
    }
}
