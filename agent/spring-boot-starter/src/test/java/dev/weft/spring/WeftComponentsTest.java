package dev.weft.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.agent.WeftComponent;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class WeftComponentsTest {

    @WeftComponent("greeter")
    interface Greeter {
        String greet(String name);
    }

    static final class PlainGreeter implements Greeter {
        @Override
        public String greet(String name) {
            return "hello " + name;
        }
    }

    @Configuration
    static class App {
        @Bean
        Greeter greeter() {
            return new PlainGreeter();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WeftAutoConfiguration.class))
            .withUserConfiguration(App.class);

    @Test
    void outsideAnAgentTheAppIsUnchanged() {
        runner.run(context -> {
            assertThat(context.getBean(WeftComponents.class).isReplica()).isFalse();
            assertThat(context.getBean(Greeter.class)).isInstanceOf(PlainGreeter.class);
            assertThat(context.getBean(Greeter.class).greet("ada")).isEqualTo("hello ada");
        });
    }

    @Test
    void aPartialReplicaConfigurationFailsTheStartNamingWhatIsMissing() {
        runner.withPropertyValues("weft.replica.id=a1", "weft.replica.application=app")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessage("replica argument --weft.replica.version is missing");
                });
    }

    @Test
    void asAReplicaComponentBeansAreInjectedAsWeftReferences() {
        // a replica whose agent is not there: the reference exists, and its start fails only at the link
        assertThatThrownBy(() -> Proxy.getInvocationHandler(new PlainGreeter()))
                .isInstanceOf(IllegalArgumentException.class);
        runner.withPropertyValues(
                        "weft.replica.id=a1",
                        "weft.replica.application=app",
                        "weft.replica.version=v1",
                        "weft.replica.components=greeter",
                        "weft.replica.supervisor=127.0.0.1:1",
                        "weft.replica.token=t")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Greeter greeter = context.getBean(Greeter.class);
                    assertThat(Proxy.isProxyClass(greeter.getClass())).isTrue();
                    assertThat(greeter.greet("ada")).isEqualTo("hello ada"); // hosted here: a local call
                });
    }
}
