package dev.weft.scheduler.system;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /}: a small page that says what this server is and links its API documentation and health. */
@Hidden
@RestController
class HomePage {

    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Weft control plane</title></head>
            <body>
            <h1>Weft control plane</h1>
            <p>This server stores application versions, the agents that connect to it and the load they report.
            It has no dashboard yet; use its REST API.</p>
            <ul>
            <li><a href="/swagger-ui.html">API documentation</a> (interactive)</li>
            <li><a href="/v3/api-docs">OpenAPI document</a> (JSON)</li>
            <li><a href="/actuator/health">Health</a></li>
            <li><a href="/api/v1/applications">Applications</a></li>
            </ul>
            </body>
            </html>
            """;

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    String home() {
        return PAGE;
    }
}
