/**
 * Internal: the inbound unit of a loop, {@link dev.sluice.internal.inbound.InboundPath}: read, decode and dispatch;
 * inbound memory budgets, read pauses ("not now" and the soft limit), rejections of what a peer must not send,
 * fragment assembly and the idle timeout. It owns every piece of a connection's inbound state. Loop thread only. Not
 * an API.
 */
package dev.sluice.internal.inbound;
