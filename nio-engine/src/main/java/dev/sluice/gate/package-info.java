/**
 * API: durability-gated responses. The matching thread publishes through {@link dev.sluice.gate.ResponsePublisher};
 * the loop sends a batch once the {@link dev.sluice.gate.DurabilityPolicy} in force, evaluated over
 * {@link dev.sluice.gate.ClusterCursors}, has reached it. {@link dev.sluice.gate.DurabilityModes} swaps the policy at
 * run time; {@link dev.sluice.gate.GateConfig} holds the settings.
 */
package dev.sluice.gate;
