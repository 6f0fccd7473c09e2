/**
 * Internal: the push path. Producer side: {@link dev.sluice.internal.push.TargetPushHandle} and
 * {@code PushOffers} (any thread). Loop side: {@link dev.sluice.internal.push.PushLoop}, which drains the high and low
 * stages through the fairness counter ({@link dev.sluice.internal.push.PushFairness}); one lock-free
 * {@link dev.sluice.internal.push.TokenBucket} per connection. Cross-thread objects are padded; see
 * {@code PushTarget}. Not an API.
 */
package dev.sluice.internal.push;
