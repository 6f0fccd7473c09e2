/**
 * API: the engine's one immutable configuration, {@link dev.sluice.config.EngineConfig}, built and validated as a
 * whole by {@link dev.sluice.config.EngineConfigBuilder}, with the threading, idle and pinning modes.
 */
package dev.sluice.config;
