package dev.weft.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactTest {

    @TempDir
    Path dir;

    @Test
    void aJarAndAClassPathAreUnderstood() throws IOException {
        Path jar = Files.createFile(dir.resolve("shop.jar"));
        Path classes = Files.createDirectory(dir.resolve("classes"));
        assertThat(Artifact.parse("file:" + jar)).isEqualTo(new Artifact(java.util.List.of(jar), null));
        assertThat(Artifact.parse("file:" + jar + "#com.example.Main").mainClass())
                .isEqualTo("com.example.Main");
        Artifact cp = Artifact.parse("classpath:" + classes + ":" + jar + "#com.example.Main");
        assertThat(cp.classPath()).containsExactly(classes, jar);
        assertThat(cp.classPathString()).isEqualTo(classes + ":" + jar);
    }

    @Test
    void badReferencesAreRefusedSayingWhatIsWrong() throws IOException {
        Path classes = Files.createDirectory(dir.resolve("classes"));
        assertThatThrownBy(() -> Artifact.parse("oci://registry.example.com/shop:1.0.0"))
                .hasMessageContaining("is not supported by this agent");
        assertThatThrownBy(() -> Artifact.parse("classpath:" + classes))
                .hasMessageContaining("must name its main class after '#'");
        assertThatThrownBy(() -> Artifact.parse("file:relative/shop.jar")).hasMessageContaining("is not absolute");
        assertThatThrownBy(() -> Artifact.parse("file:" + dir.resolve("nope.jar")))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Artifact.parse("file:" + classes)).hasMessageContaining("is not a jar file");
        assertThatThrownBy(() -> Artifact.parse("classpath:" + classes + "#1bad"))
                .hasMessageContaining("is not a Java class name");
    }
}
