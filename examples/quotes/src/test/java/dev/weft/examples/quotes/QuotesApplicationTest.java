package dev.weft.examples.quotes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuotesApplicationTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aParcelWithinTheEuIsPricedByItsChargeableWeight() throws Exception {
        // 2.2 kg but 15 litres = 3 volumetric kg: charged 3.0 kg at the EU rate, 1290 + 3 x 140
        HttpResponse<String> response = get("/quotes?from=DE&to=fr&weightKg=2.2&volumeLitres=15");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("\"zone\":\"eu\"")
                .contains("\"chargeableKg\":3.0")
                .contains("\"totalCents\":1710");
    }

    @Test
    void aHeavyParcelOverseasPaysTheSurcharge() throws Exception {
        HttpResponse<String> response = get("/quotes?from=NL&to=US&weightKg=31");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("\"zone\":\"world\"")
                .contains("\"totalCents\":" + (3490 + 31 * 520 + 1500));
    }

    @Test
    void anUnknownCountryIsABadRequestThatNamesIt() throws Exception {
        HttpResponse<String> response = get("/quotes?from=DE&to=XX&weightKg=1");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("unknown country 'XX'");
    }
}
