package dev.weft.scheduler.planning;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Turns on the planner's settings ({@code weft.planner.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlanningProperties.class)
class PlanningConfiguration {}
