package dev.weft.scheduler.security;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Password accounts for the dashboard's sign-in: the first admin from configuration ({@code weft.security.admin.*},
 * never stored), and the accounts an admin creates, stored with a bcrypt hash of the password.
 */
@Service
class OperatorAccounts implements UserDetailsService {

    private final JdbcClient jdbc;
    private final SecurityProperties.Admin admin;
    private final @Nullable String adminPasswordHash;

    OperatorAccounts(JdbcClient jdbc, SecurityProperties properties, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.admin = properties.admin();
        String password = admin.password();
        // an encoded value ("{bcrypt}$2a$...") is used as it is, so the plain password need not be in the configuration
        this.adminPasswordHash =
                password.isBlank() ? null : password.startsWith("{") ? password : encoder.encode(password);
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        if (username.equals(admin.name())) {
            if (adminPasswordHash == null) {
                throw new UsernameNotFoundException("the first admin has no password");
            }
            return user(username, Role.ADMIN, adminPasswordHash);
        }
        record Row(String role, String hash) {}
        Optional<Row> row = jdbc.sql("select role, password_hash from operator_accounts where name = ?")
                .param(username)
                .query((rs, n) -> new Row(rs.getString("role"), rs.getString("password_hash")))
                .optional();
        Role role = row.map(found -> Role.fromWire(found.role())).orElse(null);
        if (row.isEmpty() || role == null) {
            throw new UsernameNotFoundException("no such account");
        }
        return user(username, role, row.get().hash());
    }

    private static UserDetails user(String name, Role role, String hash) {
        return User.withUsername(name)
                .password(hash)
                .authorities(role.authority())
                .build();
    }
}
