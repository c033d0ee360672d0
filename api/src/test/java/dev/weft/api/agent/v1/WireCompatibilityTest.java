package dev.weft.api.agent.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Guards the compatibility rules of weft.agent.v1: the wire contract recorded in
 * {@code src/test/resources/weft/agent/v1/wire-contract.txt} (every field with its number, type,
 * label and oneof; every enum value; every rpc) may only grow. A line that disappears means a field was
 * renumbered, retyped, moved or removed, which would break deployed agents. To remove a field, reserve its
 * number and name in the .proto and turn its line into {@code removed <message>.<field> = <number>}.
 */
class WireCompatibilityTest {

    private static final Path CONTRACT =
            Path.of("src", "test", "resources", "weft", "agent", "v1", "wire-contract.txt");

    @Test
    void theWireContractOnlyGrows() throws IOException {
        TreeSet<String> current = describe(AgentServiceProto.getDescriptor());
        List<String> recorded = Files.readAllLines(CONTRACT).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList();

        List<String> broken = new ArrayList<>();
        for (String line : recorded) {
            if (line.startsWith("removed ")) {
                checkReserved(line, broken);
            } else if (!current.contains(line)) {
                broken.add(line);
            }
        }
        assertThat(broken)
                .as("recorded wire contract lines no longer true (renumbered, retyped, moved or removed)")
                .isEmpty();

        List<String> unrecorded =
                current.stream().filter(line -> !recorded.contains(line)).toList();
        assertThat(unrecorded)
                .as("new declarations: append them to " + CONTRACT + " so they are guarded too")
                .isEmpty();
    }

    private static void checkReserved(String line, List<String> broken) {
        // removed weft.agent.v1.Message.field = 7
        String[] parts = line.substring("removed ".length()).split(" = ");
        String qualified = parts[0];
        int number = Integer.parseInt(parts[1].trim());
        String messageName = qualified.substring(0, qualified.lastIndexOf('.'));
        String fieldName = qualified.substring(qualified.lastIndexOf('.') + 1);
        Descriptor message = findMessage(messageName);
        boolean reserved = message != null && message.isReservedNumber(number) && message.isReservedName(fieldName);
        if (!reserved) {
            broken.add(line + " (its number and name must be reserved)");
        }
    }

    private static Descriptor findMessage(String fullName) {
        for (FileDescriptor file : files(AgentServiceProto.getDescriptor())) {
            for (Descriptor message : file.getMessageTypes()) {
                Descriptor found = find(message, fullName);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Descriptor find(Descriptor message, String fullName) {
        if (message.getFullName().equals(fullName)) {
            return message;
        }
        for (Descriptor nested : message.getNestedTypes()) {
            Descriptor found = find(nested, fullName);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static List<FileDescriptor> files(FileDescriptor root) {
        List<FileDescriptor> out = new ArrayList<>();
        out.add(root);
        for (FileDescriptor dependency : root.getDependencies()) {
            if (dependency.getPackage().equals(root.getPackage())) {
                for (FileDescriptor file : files(dependency)) {
                    if (!out.contains(file)) {
                        out.add(file);
                    }
                }
            }
        }
        return out;
    }

    static TreeSet<String> describe(FileDescriptor root) {
        TreeSet<String> out = new TreeSet<>();
        for (FileDescriptor file : files(root)) {
            for (ServiceDescriptor service : file.getServices()) {
                for (MethodDescriptor method : service.getMethods()) {
                    out.add("rpc " + method.getFullName() + "(" + (method.isClientStreaming() ? "stream " : "")
                            + method.getInputType().getFullName() + ") returns ("
                            + (method.isServerStreaming() ? "stream " : "")
                            + method.getOutputType().getFullName() + ")");
                }
            }
            for (Descriptor message : file.getMessageTypes()) {
                describe(message, out);
            }
            for (EnumDescriptor type : file.getEnumTypes()) {
                describe(type, out);
            }
        }
        return out;
    }

    private static void describe(Descriptor message, TreeSet<String> out) {
        if (message.getOptions().getMapEntry()) {
            return;
        }
        for (FieldDescriptor field : message.getFields()) {
            String type = switch (field.getJavaType()) {
                case MESSAGE ->
                    field.isMapField()
                            ? "map<" + mapType(field) + ">"
                            : field.getMessageType().getFullName();
                case ENUM -> field.getEnumType().getFullName();
                default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
            };
            String label = field.isRepeated() && !field.isMapField() ? "repeated " : "";
            String oneof = field.getRealContainingOneof() == null
                    ? ""
                    : " oneof " + field.getRealContainingOneof().getName();
            out.add("field " + field.getFullName() + " = " + field.getNumber() + " " + label + type + oneof);
        }
        for (Descriptor nested : message.getNestedTypes()) {
            describe(nested, out);
        }
        for (EnumDescriptor type : message.getEnumTypes()) {
            describe(type, out);
        }
    }

    private static String mapType(FieldDescriptor map) {
        FieldDescriptor key = map.getMessageType().findFieldByName("key");
        FieldDescriptor value = map.getMessageType().findFieldByName("value");
        String valueType = value.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                ? value.getMessageType().getFullName()
                : value.getType().name().toLowerCase(java.util.Locale.ROOT);
        return key.getType().name().toLowerCase(java.util.Locale.ROOT) + ", " + valueType;
    }

    private static void describe(EnumDescriptor type, TreeSet<String> out) {
        for (EnumValueDescriptor value : type.getValues()) {
            out.add("value " + type.getFullName() + "." + value.getName() + " = " + value.getNumber());
        }
    }

    /** Prints the current contract, to seed or extend the recorded file. */
    public static void main(String[] args) {
        describe(AgentServiceProto.getDescriptor()).forEach(System.out::println);
    }
}
