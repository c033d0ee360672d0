package dev.weft.scheduler.rollouts;

import dev.weft.rollout.RolloutSettings;
import dev.weft.rollout.Rollouts;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The rollout rules, on the control plane's clock. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RolloutProperties.class)
class RolloutsConfiguration {

    @Bean
    Rollouts rolloutRules(RolloutProperties properties, Clock clock) {
        return new Rollouts(new RolloutSettings(properties.rollbackWindow(), properties.countedGap()), clock);
    }
}
