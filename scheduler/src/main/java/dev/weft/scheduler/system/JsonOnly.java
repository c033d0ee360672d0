package dev.weft.scheduler.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * The API speaks JSON and nothing else, and reads it strictly: a body in another format (YAML, XML, CBOR, Smile,
 * which libraries on the classpath would otherwise add) is refused with 415, a key given twice is malformed, and
 * no JSON value is quietly turned into another type: a string field takes only strings, a number field only
 * numbers, a boolean only {@code true} or {@code false}.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnly implements WebMvcConfigurer {

    private static final List<String> OTHER_FORMATS = List.of("yaml", "xml", "cbor", "smile", "x-protobuf");

    /**
     * A client that accepts no JSON is told so before its request is served: refusing only once the answer is
     * ready would leave a request that changed something answered with 406.
     */
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
                    @Override
                    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                            throws HttpMediaTypeNotAcceptableException {
                        String accept = request.getHeader("Accept");
                        if (accept == null || accept.isBlank()) {
                            return true;
                        }
                        List<MediaType> accepted;
                        try {
                            accepted = MediaType.parseMediaTypes(accept);
                        } catch (InvalidMediaTypeException e) {
                            throw new HttpMediaTypeNotAcceptableException(
                                    "The Accept header is not a list of media types");
                        }
                        if (accepted.stream()
                                .anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON)
                                        || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))) {
                            return true;
                        }
                        throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
                    }
                })
                .addPathPatterns("/api/**");
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(JsonOnly::otherFormat));
    }

    private static boolean otherFormat(HttpMessageConverter<?> converter) {
        List<MediaType> types = converter.getSupportedMediaTypes();
        return !types.isEmpty()
                && types.stream()
                        .allMatch(type -> OTHER_FORMATS.stream()
                                .anyMatch(format -> type.getSubtype().contains(format)));
    }

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // a number or boolean where a string belongs is the wrong type, not the string "42" or "true"
                .withCoercionConfig(
                        LogicalType.Textual,
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Object, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Array, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Boolean,
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Integer,
                        config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Float,
                        config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // "" is not an empty list, object or number
                .withCoercionConfigDefaults(
                        config -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                                .setAcceptBlankAsEmpty(false));
    }
}
