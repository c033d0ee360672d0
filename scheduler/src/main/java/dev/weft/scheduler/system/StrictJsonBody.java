package dev.weft.scheduler.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Checks every request body as JSON text (RFC 8259) before Jackson reads it, so no byte is smuggled past the
 * checks that follow: it must be UTF-8 in its shortest form (an overlong {@code 0xC0 0xAF} is not a {@code /}),
 * a {@code \\u} escape of a surrogate must be half of a pair, and a body must hold more than whitespace. Each
 * refusal names the line and column.
 */
@ControllerAdvice
class StrictJsonBody extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws IOException {
        byte[] bytes = input.getBody().readAllBytes();
        check(bytes);
        // JSON is UTF-8 (RFC 8259 defines no charset parameter for it): a charset a client names is not used to
        // decode what was just checked as UTF-8
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(input.getHeaders());
        MediaType type = headers.getContentType();
        if (type != null && type.getCharset() != null) {
            headers.setContentType(new MediaType(type.getType(), type.getSubtype()));
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    /** Refuses the body unless it is well-formed UTF-8 with only paired surrogate escapes and not blank. */
    static void check(byte[] bytes) throws MalformedBodyException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, text, true);
        if (result.isError()) {
            String where = position(StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, in.position())));
            throw new MalformedBodyException("Malformed JSON at " + where + " (byte " + (in.position() + 1)
                    + "): the body is not valid UTF-8 (an invalid, overlong or truncated byte sequence "
                    + String.format("0x%02X", bytes[in.position()] & 0xFF) + ")");
        }
        try {
            decoder.flush(text);
        } catch (IllegalStateException e) {
            throw new MalformedBodyException("Malformed JSON: the body is not valid UTF-8");
        }
        text.flip();
        checkText(text);
    }

    private static void checkText(CharSequence text) throws MalformedBodyException {
        boolean blank = true;
        boolean inString = false;
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                blank = false;
            }
            if (inString && c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                if (next == 'u' && i + 5 < text.length()) {
                    int unit = hex(text, i + 2);
                    if (Character.isHighSurrogate((char) unit)) {
                        int low = i + 7 < text.length() && text.charAt(i + 6) == '\\' && text.charAt(i + 7) == 'u'
                                ? hex(text, i + 8)
                                : -1;
                        if (low < 0 || !Character.isLowSurrogate((char) low)) {
                            throw loneSurrogate(text, i, line, column);
                        }
                        i += 11;
                        column += 12;
                        continue;
                    }
                    if (unit >= 0 && Character.isLowSurrogate((char) unit)) {
                        throw loneSurrogate(text, i, line, column);
                    }
                }
                i++; // the escaped character cannot end the string
                column += 2;
                continue;
            }
            if (c == '"') {
                inString = !inString;
            }
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        if (blank && !text.isEmpty()) {
            throw new MalformedBodyException("Malformed JSON at line " + line + ", column " + column
                    + ": the body holds only whitespace; send a JSON document");
        }
    }

    private static MalformedBodyException loneSurrogate(CharSequence text, int at, int line, int column) {
        return new MalformedBodyException("Malformed JSON at line " + line + ", column " + column + ": the escape "
                + text.subSequence(at, Math.min(text.length(), at + 6))
                + " is half of a UTF-16 surrogate pair without its other half, which no Unicode text contains");
    }

    /** The four hex digits at {@code from} as a number, or -1 if they are not four hex digits. */
    private static int hex(CharSequence text, int from) {
        if (from + 4 > text.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static String position(CharSequence before) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < before.length(); i++) {
            if (before.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }
}
