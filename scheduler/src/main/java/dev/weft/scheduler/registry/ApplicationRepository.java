package dev.weft.scheduler.registry;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApplicationRepository extends JpaRepository<ApplicationEntity, Long> {

    Optional<ApplicationEntity> findByName(String name);
}
