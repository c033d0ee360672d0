package dev.weft.scheduler.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body to {@code weft.api.max-request-size}, whether it declares its length or
 * arrives chunked, so no client can make the control plane parse an unbounded document. Reading past
 * the limit fails with {@link BodyTooLargeException}, which {@link ProblemDetailsAdvice} answers with 413.
 */
final class RequestSizeLimit extends OncePerRequestFilter {

    private final long maxBytes;

    RequestSizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new LimitedRequest(request, maxBytes), response);
    }

    /** Thrown while reading a body past the limit; an IOException so every body reader reports it as one. */
    static final class BodyTooLargeException extends IOException {

        private final String detail;

        BodyTooLargeException(String message) {
            super(message);
            this.detail = message;
        }

        /** What was too large and the limit; never null. */
        String detail() {
            return detail;
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long maxBytes;
        private @Nullable ServletInputStream body;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new LimitedInputStream(super.getInputStream(), maxBytes, getContentLengthLong());
            }
            return body;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long maxBytes;
        private final long declared;
        private long read;

        LimitedInputStream(ServletInputStream in, long maxBytes, long declared) {
            this.in = in;
            this.maxBytes = maxBytes;
            this.declared = declared;
        }

        @Override
        public int read() throws IOException {
            checkDeclared();
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            checkDeclared();
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        /** A body that says it is too large is refused before a byte of it is read. */
        private void checkDeclared() throws BodyTooLargeException {
            if (declared > maxBytes) {
                throw new BodyTooLargeException("Request body is " + declared + " bytes; at most " + maxBytes
                        + " bytes are accepted (weft.api.max-request-size)");
            }
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > maxBytes) {
                throw new BodyTooLargeException("Request body is larger than " + maxBytes
                        + " bytes, the most accepted (weft.api.max-request-size)");
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
