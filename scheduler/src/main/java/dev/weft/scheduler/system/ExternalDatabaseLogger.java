package dev.weft.scheduler.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/** Says at startup which external database the control plane uses, so operators never have to guess. */
@Component
@ConditionalOnExpression("!'${spring.datasource.url:}'.isEmpty()")
class ExternalDatabaseLogger {

    private static final Logger log = LoggerFactory.getLogger(ExternalDatabaseLogger.class);

    ExternalDatabaseLogger(@Value("${spring.datasource.url}") String url) {
        // never log a password that was put into the URL
        log.info("Using external PostgreSQL at {}", url.replaceAll("(?i)(password=)[^&;]*", "$1***"));
    }
}
