package dev.weft.scheduler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.scheduler.WeftIntegrationTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * The controllers decide a registration again only after losing a race on a unique key; any other
 * refused write (a check or foreign key the API should have caught) is not mistaken for one.
 */
@WeftIntegrationTest
class DuplicateKeysTest {

    @Autowired
    ApplicationRepository applications;

    @Test
    void aSecondRowWithTheSameUniqueNameIsADuplicateKey() {
        String name = "dup-" + UUID.randomUUID().toString().substring(0, 8);
        applications.saveAndFlush(new ApplicationEntity(name, Instant.now()));

        DataIntegrityViolationException refused = catchThrowableOfType(
                DataIntegrityViolationException.class,
                () -> applications.saveAndFlush(new ApplicationEntity(name, Instant.now())));

        assertThat(DuplicateKeys.isDuplicateKey(refused)).as(refused.toString()).isTrue();
    }

    @Test
    void aRowBreakingACheckConstraintIsNotADuplicateKey() {
        DataIntegrityViolationException refused = catchThrowableOfType(
                DataIntegrityViolationException.class,
                () -> applications.saveAndFlush(new ApplicationEntity("Not_A_Label", Instant.now())));

        assertThat(DuplicateKeys.isDuplicateKey(refused)).as(refused.toString()).isFalse();
    }
}
