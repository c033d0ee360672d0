package dev.weft.scheduler;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Fails the build when one feature package reaches into another's internals or the features form a cycle. */
class ModularityTests {

    @Test
    void featurePackagesOnlyUseEachOthersPublicApi() {
        ApplicationModules.of(WeftApplication.class).verify();
    }
}
