package dev.weft.examples.boutique;

import dev.weft.examples.boutique.Model.OrderItem;
import dev.weft.examples.boutique.Model.OrderResult;
import dev.weft.examples.boutique.Services.Email;
import java.util.concurrent.atomic.AtomicLong;

/** Renders the order confirmation (this example has no mail server: the message is counted and returned). */
final class EmailImpl implements Email {

    private final AtomicLong sent = new AtomicLong();

    @Override
    public String sendOrderConfirmation(String email, OrderResult order) {
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new IllegalArgumentException("'" + email + "' is not an email address");
        }
        StringBuilder text = new StringBuilder()
                .append("To: ")
                .append(email)
                .append('\n')
                .append("Subject: Your Confirmation Email\n\n")
                .append("Thank you for your order ")
                .append(order.orderId())
                .append(".\n")
                .append("Shipping tracking id: ")
                .append(order.shippingTrackingId())
                .append('\n')
                .append("Shipping cost: ")
                .append(order.shippingCost().display())
                .append('\n');
        for (OrderItem item : order.items()) {
            text.append(" - ")
                    .append(item.item().quantity())
                    .append(" x ")
                    .append(item.item().productId())
                    .append(": ")
                    .append(item.cost().display())
                    .append('\n');
        }
        text.append("Total: ").append(order.total().display()).append('\n');
        sent.incrementAndGet();
        return text.toString();
    }
}
