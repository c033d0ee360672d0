package dev.weft.scheduler.agents;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bootstrap tokens agents may join with, stored as SHA-256 hashes. On start the configured list
 * replaces the stored one (after the schema is migrated, before the gRPC server accepts streams).
 */
@Component
class BootstrapTokens implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(BootstrapTokens.class);
    private static final String HASHED = "sha256:";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Set<String> configuredHashes;
    private final DatabaseGate gate;

    BootstrapTokens(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            Clock clock,
            AgentsProperties properties,
            DatabaseGate gate) {
        this.jdbc = jdbc;
        this.gate = gate;
        this.transactions = transactions;
        this.clock = clock;
        Set<String> hashes = new LinkedHashSet<>();
        for (String token : properties.bootstrapTokens()) {
            hashes.add(hashOf(token));
        }
        this.configuredHashes = Set.copyOf(hashes);
    }

    private static String hashOf(String configured) {
        if (configured.isBlank()) {
            throw new IllegalArgumentException("weft.agents.bootstrap-tokens has a blank entry");
        }
        if (configured.startsWith(HASHED)) {
            String hex = configured.substring(HASHED.length()).toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(
                        "weft.agents.bootstrap-tokens entry '" + HASHED + "...' must be followed by 64 hex digits");
            }
            return hex;
        }
        return Secrets.sha256(configured);
    }

    @Override
    public void afterSingletonsInstantiated() {
        transactions.executeWithoutResult(tx -> {
            int removed = configuredHashes.isEmpty()
                    ? jdbc.sql("delete from agent_bootstrap_tokens").update()
                    : jdbc.sql("delete from agent_bootstrap_tokens where token_hash not in (:hashes)")
                            .param("hashes", configuredHashes)
                            .update();
            for (String hash : configuredHashes) {
                jdbc.sql(
                                "insert into agent_bootstrap_tokens (token_hash, created_at) values (?, ?) on conflict do nothing")
                        .params(hash, Timestamp.from(clock.instant()))
                        .update();
            }
            if (removed > 0) {
                log.info("Removed {} bootstrap token(s) no longer configured", removed);
            }
        });
        if (configuredHashes.isEmpty()) {
            log.warn("No bootstrap tokens configured (weft.agents.bootstrap-tokens): new agents cannot join");
        }
    }

    /**
     * True if {@code token} is a current bootstrap token. The configured ones are checked in memory, so a
     * storm of first hellos costs no extra query; the table is asked only for tokens it alone knows.
     */
    boolean accepts(String token) {
        String hash = Secrets.sha256(token);
        if (configuredHashes.contains(hash)) {
            return true;
        }
        return gate.call(() -> jdbc.sql("select count(*) from agent_bootstrap_tokens where token_hash = ?")
                        .param(hash)
                        .query(Long.class)
                        .single())
                > 0;
    }
}
