package dev.weft.scheduler.cluster;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the two plain JDBC connections a node keeps outside its connection pool: the one holding the leader lock
 * and the one listening to the bus. A session-level advisory lock and a {@code LISTEN} belong to one PostgreSQL
 * session, so they cannot live on a pooled connection that other work borrows and returns. Each connection has a
 * socket timeout (a hung network shows as an error, not a wait) and asks the server to drop the session soon after
 * the node stops answering, so a vanished leader frees its lock.
 */
final class DedicatedConnections {

    private static final Logger log = LoggerFactory.getLogger(DedicatedConnections.class);

    private final String url;
    private final Properties base;
    private final ClusterProperties properties;

    DedicatedConnections(DataSource dataSource, ClusterProperties properties) {
        this.properties = properties;
        HikariDataSource hikari;
        try {
            hikari = dataSource.unwrap(HikariDataSource.class);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "the cluster's dedicated connections are opened with the settings of the HikariCP data source; "
                            + "the data source is a " + dataSource.getClass().getName(),
                    e);
        }
        String jdbcUrl = hikari.getJdbcUrl();
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException(
                    "leader election and the cluster bus need a PostgreSQL JDBC URL, the data source has " + jdbcUrl);
        }
        this.url = jdbcUrl;
        this.base = new Properties();
        base.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            base.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            base.setProperty("password", hikari.getPassword());
        }
    }

    /** A new connection in autocommit mode, named {@code weft-<purpose>:<node id>} in {@code pg_stat_activity}. */
    Connection open(String purpose) throws SQLException {
        Properties info = new Properties();
        info.putAll(base);
        info.setProperty("ApplicationName", applicationName(purpose, properties.nodeId()));
        info.setProperty("tcpKeepAlive", "true");
        info.setProperty(
                "connectTimeout",
                Long.toString(Math.max(1, properties.checkTimeout().toSeconds())));
        info.setProperty(
                "socketTimeout",
                Long.toString(Math.max(1, properties.checkTimeout().toSeconds())));
        Connection connection = DriverManager.getConnection(url, info);
        try {
            connection.setAutoCommit(true);
            askServerToDropUsSoon(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * The application name the node's connection for {@code purpose} carries (PostgreSQL keeps 63 bytes of it), so an
     * operator (or a test) finds it in {@code pg_stat_activity}.
     */
    static String applicationName(String purpose, String nodeId) {
        String name = "weft-" + purpose + ":" + nodeId;
        return name.length() <= 63 ? name : name.substring(0, 63);
    }

    /**
     * Keepalives and a TCP user timeout on the server's side of this session: PostgreSQL otherwise keeps the session
     * of a peer that vanished without closing its socket (a partition, a host that lost power) for as long as the
     * kernel's defaults say, hours, and the leader lock with it. These settings do not apply over a Unix socket, and a
     * server that refuses one of them (PostgreSQL before 12 has no {@code tcp_user_timeout}) keeps its default.
     */
    private void askServerToDropUsSoon(Connection connection) {
        long seconds = properties.sessionTimeout().toSeconds();
        String[] settings = {
            "set tcp_keepalives_idle = 1",
            "set tcp_keepalives_interval = 1",
            "set tcp_keepalives_count = " + Math.max(1, seconds - 1),
            "set tcp_user_timeout = " + properties.sessionTimeout().toMillis()
        };
        for (String setting : settings) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(setting);
            } catch (SQLException refused) {
                log.debug("PostgreSQL refused '{}': {}", setting, refused.getMessage());
            }
        }
    }
}
