/**
 * Internal: the durability gate's loop side. {@link dev.sluice.internal.gate.ResponseRings} (the publisher: one
 * single-producer ring per loop), {@link dev.sluice.internal.gate.ResponseGate} (the loop stage that batches and
 * releases), {@link dev.sluice.internal.gate.PolicyEvaluator} and
 * {@link dev.sluice.internal.gate.DegradationMonitor}. Not an API.
 */
package dev.sluice.internal.gate;
