/**
 * End-to-end loopback comparisons of Sluice with Netty 4.2 and with plain blocking sockets: ping-pong round trips,
 * request/response throughput over many connections and push fan-out. Every server meets the same client code in
 * the same run; {@link dev.sluice.jmh.loopback.Compare} runs the whole matrix, one fresh JVM per case and run, and
 * prints ours, theirs and the ratio. See {@code docs/benchmarks.md}.
 */
package dev.sluice.jmh.loopback;
