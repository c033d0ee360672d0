package dev.weft.scheduler.registry;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface VersionRepository extends JpaRepository<VersionEntity, Long> {

    Optional<VersionEntity> findByApplicationAndName(ApplicationEntity application, String name);

    Page<VersionEntity> findByApplication(ApplicationEntity application, Pageable pageable);
}
