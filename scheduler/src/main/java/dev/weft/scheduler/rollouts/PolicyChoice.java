package dev.weft.scheduler.rollouts;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.policy.PolicyDraft;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A rollout's policy as a request names it: a preset's name ({@code "canary"}) or an inline policy object. Read
 * strictly, like every body: an inline policy's unknown fields and wrong JSON types are refused at their path.
 */
@JsonDeserialize(using = PolicyChoice.Reader.class)
sealed interface PolicyChoice {

    record Named(String name) implements PolicyChoice {
        public Named {
            requireNonNull(name, "name is null");
        }
    }

    record Inline(PolicyDraft draft) implements PolicyChoice {
        public Inline {
            requireNonNull(draft, "draft is null");
        }
    }

    /** A string is a preset's name, an object an inline policy; anything else is refused. */
    final class Reader extends ValueDeserializer<PolicyChoice> {
        @Override
        public PolicyChoice deserialize(JsonParser parser, DeserializationContext context) {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return new Named(parser.getString());
            }
            if (token == JsonToken.START_OBJECT) {
                return new Inline(context.readValue(parser, PolicyDraft.class));
            }
            return (PolicyChoice) context.reportInputMismatch(
                    PolicyChoice.class,
                    "policy must be a preset's name (canary, blue-green, immediate) or an inline policy object, was "
                            + token);
        }
    }
}
