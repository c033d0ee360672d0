package dev.weft.scheduler.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the HTTP API.
 *
 * @param maxRequestSize the largest request body accepted; a larger one is refused with 413 before it
 *     is read in full. The default leaves room for the largest version the registry accepts (2,000
 *     components and 20,000 edges with 63-character names take about 5 MB).
 */
@ConfigurationProperties("weft.api")
public record ApiProperties(@DefaultValue("16MB") DataSize maxRequestSize) {

    public ApiProperties {
        if (maxRequestSize.toBytes() < 1) {
            throw new IllegalArgumentException("weft.api.max-request-size must be at least 1B, was " + maxRequestSize);
        }
    }
}
