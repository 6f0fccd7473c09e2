/**
 * JMH microbenchmarks of the engine's hot-path pieces (codec, token bucket, push offer and drain, send path, policy
 * evaluation, the gate end to end). Run with {@code -prof gc} to see allocation per operation.
 */
package dev.sluice.jmh;
