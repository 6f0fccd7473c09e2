/** Test helpers shared by the integration tests, the examples and the benchmarks: a blocking frame client, an echo
 * handler, a log of closes. */
package dev.sluice.testkit;
