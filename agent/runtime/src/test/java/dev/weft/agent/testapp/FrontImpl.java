package dev.weft.agent.testapp;

import dev.weft.agent.http.HttpCall;
import dev.weft.agent.http.HttpReply;
import dev.weft.agent.http.HttpServing;

final class FrontImpl implements Front {

    private final Store store;

    FrontImpl(Store store) {
        this.store = store;
    }

    @Override
    public int tagCount(String key) {
        return store.get(key).tags().size();
    }

    @Override
    public HttpReply handle(HttpCall request) {
        String key = HttpServing.params(request.query()).getOrDefault("key", "apple");
        if (request.path().equals("/slow")) {
            return HttpReply.of(200, "text/plain", "slept " + store.slow(Integer.parseInt(key)) + "\n");
        }
        try {
            Item item = store.get(key);
            return HttpReply.of(
                    200, "text/plain", item.key() + " has tags " + item.tags() + " served by " + store.whoAmI() + "\n");
        } catch (IllegalArgumentException e) {
            return HttpReply.of(404, "text/plain", e.getMessage() + "\n");
        }
    }
}
