package dev.weft.scheduler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Weft control plane: stores versions and load, computes plans, drives rollouts. */
@SpringBootApplication
public class WeftApplication {

    public static void main(String[] args) {
        SpringApplication.run(WeftApplication.class, args);
    }
}
