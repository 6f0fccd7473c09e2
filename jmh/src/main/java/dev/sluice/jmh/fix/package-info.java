/**
 * The FIX gateway example against QuickFIX/J's acceptor: a zero-garbage FIX 4.4 order-entry load client
 * ({@link dev.sluice.jmh.fix.FixLoad}), the two servers as processes of their own
 * ({@link dev.sluice.jmh.fix.FixGatewayBenchMain}, {@link dev.sluice.jmh.fix.QuickFixAcceptorMain}) and the
 * comparison that runs them under it ({@link dev.sluice.jmh.fix.FixCompare}, {@code jmh/fix-compare.sh}).
 */
package dev.sluice.jmh.fix;
