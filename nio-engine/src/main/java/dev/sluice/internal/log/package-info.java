/**
 * Internal: the engine's loggers, its one rate-limited log (on the engine's clock, shared by loops and producers),
 * and the error path ({@link dev.sluice.internal.log.ErrorReporter}: the configured error handler plus the errors
 * counter). Not an API: anything here may change.
 */
package dev.sluice.internal.log;
