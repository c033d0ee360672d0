package dev.weft.scheduler.events;

import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.http.MediaType;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /events/stream} (outside {@code /api}, whose requests must accept JSON): server-sent events, one {@code event: audit} per event this node records, once
 * its transaction committed (the dashboard re-reads the log when one arrives). Left out of the OpenAPI document: a
 * stream that never ends is no operation the hostile-request generator can call; README documents it.
 */
@Hidden
@RestController
class EventStream {

    private static final long TIMEOUT = Duration.ofMinutes(30).toMillis();
    private final CopyOnWriteArrayList<SseEmitter> listeners = new CopyOnWriteArrayList<>();

    @GetMapping(value = "/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream() throws IOException {
        SseEmitter emitter = new SseEmitter(TIMEOUT);
        listeners.add(emitter);
        emitter.onCompletion(() -> listeners.remove(emitter));
        emitter.onTimeout(() -> listeners.remove(emitter));
        emitter.onError(e -> listeners.remove(emitter));
        emitter.send(SseEmitter.event().name("hello").data("{}"));
        return emitter;
    }

    @TransactionalEventListener
    void recorded(AuditEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", event.kind());
        data.put("application", event.application() == null ? "" : event.application());
        data.put("version", event.version() == null ? "" : event.version());
        data.put("agent", event.agent() == null ? "" : event.agent());
        data.put("message", event.message());
        for (SseEmitter emitter : listeners) {
            try {
                emitter.send(SseEmitter.event().name("audit").data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException gone) {
                listeners.remove(emitter);
            }
        }
    }
}
