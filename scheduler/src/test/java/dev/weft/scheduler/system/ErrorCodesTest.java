package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.agents.AgentError;
import dev.weft.scheduler.load.LoadError;
import dev.weft.scheduler.registry.RegistryError;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.http.HttpStatus;

/** Every error code of the control plane says how REST and gRPC clients see it, through its annotation. */
class ErrorCodesTest {

    @Test
    void everyConstantOfEveryErrorCodeEnumDeclaresItsStatusesAndTitle() throws ClassNotFoundException {
        List<Class<?>> enums = errorCodeEnums();
        assertThat(enums).contains(AgentError.class, RegistryError.class, LoadError.class, CommonError.class);
        List<String> undeclared = new ArrayList<>();
        for (Class<?> type : enums) {
            for (Object constant : type.getEnumConstants()) {
                ErrorCode code = (ErrorCode) constant;
                try {
                    assertThat(code.title()).as(code.name()).isNotBlank();
                } catch (IllegalStateException e) {
                    undeclared.add(type.getSimpleName() + "." + code.name());
                }
            }
        }
        assertThat(undeclared).as("error codes without @Problem").isEmpty();
    }

    @Test
    void aCodeReadsItsStatusesTitleAndTypeFromItsAnnotation() {
        assertThat(AgentError.AGENT_REVOKED.httpStatus()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(AgentError.AGENT_REVOKED.grpcStatus()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(AgentError.AGENT_REVOKED.title()).isEqualTo("Agent was revoked");
        assertThat(RegistryError.VERSION_IN_USE.type().toString())
                .isEqualTo("https://weft.dev/problems/version-in-use");
        Status status = AgentError.LEASE_EXPIRED.status("agent 'a1' was silent for 15s");
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).isEqualTo("agent 'a1' was silent for 15s");
    }

    @Test
    void aConstantWithoutTheAnnotationIsNamedWhenItIsUsed() {
        assertThatThrownBy(Unannotated.FORGOTTEN::httpStatus)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Unannotated.FORGOTTEN has no @Problem annotation");
    }

    private enum Unannotated implements ErrorCode {
        FORGOTTEN
    }

    private static List<Class<?>> errorCodeEnums() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(ErrorCode.class));
        List<Class<?>> enums = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.weft.scheduler")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            if (type.isEnum() && type != Unannotated.class) {
                enums.add(type);
            }
        }
        return enums;
    }
}
