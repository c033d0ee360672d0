package dev.weft.examples.quotes;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /quotes?from=DE&to=FR&weightKg=2.5&volumeLitres=12}: the price of shipping a parcel. */
@RestController
class QuoteController {

    private final QuoteService quotes;

    QuoteController(QuoteService quotes) {
        this.quotes = quotes;
    }

    @GetMapping("/quotes")
    Quote quote(
            @RequestParam String from,
            @RequestParam String to,
            @RequestParam double weightKg,
            @RequestParam(defaultValue = "0") double volumeLitres) {
        return quotes.quote(new Parcel(from, to, weightKg, volumeLitres));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badInput(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
