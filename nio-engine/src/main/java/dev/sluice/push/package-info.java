/**
 * API: pushes from any thread. {@link dev.sluice.push.PushHandle} pushes frames to one connection at high or low
 * {@link dev.sluice.push.Priority}; {@link dev.sluice.push.PushResult} says what happened, under a
 * {@link dev.sluice.push.PushPolicy}; {@link dev.sluice.push.SessionRegistry} maps application session ids to handles;
 * {@link dev.sluice.push.PushConfig} holds the queue sizes, the fairness counter and the rate limit.
 */
package dev.sluice.push;
